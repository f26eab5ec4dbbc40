"""The root conftest's isolation: no developer token or colour/CI setting reaches a test."""

from __future__ import annotations

import os

from brandaudit.config import Settings
from brandaudit.platforms import registry
from tests.conftest import credential_variables


def test_every_credential_an_adapter_reads_is_cleared() -> None:
    names = credential_variables()
    # Derived from the adapters, so this list is a floor, not the source.
    assert {
        "GITHUB_TOKEN",
        "X_BEARER_TOKEN",
        "YOUTUBE_API_KEY",
        "REDDIT_CLIENT_ID",
        "REDDIT_CLIENT_SECRET",
        "TWITCH_CLIENT_ID",
        "TWITCH_CLIENT_SECRET",
        "THREADS_ACCESS_TOKEN",
        "LINKEDIN_ACCESS_TOKEN",
        "FACEBOOK_ACCESS_TOKEN",
        "TUMBLR_API_KEY",
    } <= names
    declared = {
        var
        for adapter in registry.load(Settings()).adapters.values()
        for credential in adapter.credentials
        for var in credential.env
    }
    assert declared <= names
    assert not names & set(os.environ)
    assert "CI" not in os.environ
