# brandaudit in a container: `docker build -t brandaudit .`, then
#   docker run --rm brandaudit check acme.com
#   docker run --rm -v "$PWD:/work" -u "$(id -u):$(id -g)" brandaudit check -o report.json
# (the second reads ./brandaudit.toml and writes report.json there, as you).
# The build stage installs brandaudit into a virtual environment; the final stage is a fresh
# slim Python with only that environment copied in (no pip cache, no build tools), run as an
# unprivileged user. PACKAGE is what to install: this checkout by default, or the wheel the
# release workflow built once (--build-arg PACKAGE=dist/brandaudit_cli-X.Y.Z-py3-none-any.whl).

ARG PYTHON_IMAGE=python:3.12-slim

FROM ${PYTHON_IMAGE} AS build
ARG PACKAGE=.
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PIP_ROOT_USER_ACTION=ignore
WORKDIR /src
COPY . .
RUN python -m venv /opt/brandaudit \
    && /opt/brandaudit/bin/pip install --no-compile "${PACKAGE}" \
    && /opt/brandaudit/bin/python -m compileall -q /opt/brandaudit/lib \
    && /opt/brandaudit/bin/brandaudit --version

FROM ${PYTHON_IMAGE}
RUN useradd --create-home --uid 10001 --shell /usr/sbin/nologin brandaudit
COPY --from=build /opt/brandaudit /opt/brandaudit
ENV PATH=/opt/brandaudit/bin:$PATH PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["brandaudit"]
CMD ["--help"]
