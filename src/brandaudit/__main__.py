"""``python -m brandaudit``."""

from brandaudit.cli import main

if __name__ == "__main__":
    main()
