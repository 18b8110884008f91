"""Shared fixtures: one real encoder per session, the reference pair, and a CLI runner."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import settings

import align.embed
from align.embed import CachedEncoder, USEEncoder
from align.pipeline import Checker

PAIRS_DIR = Path(__file__).parent.parent / "pairs"

# `pytest --hypothesis-profile=benchmark -k fuzz`: the fuzz test (test_fuzz.py) tries 2,000 inputs
# instead of the normal run's quick few.
settings.register_profile("benchmark", max_examples=2000, deadline=None)
# The normal run draws the same examples every time (seeded from each test), so that the README's
# test command gives the same verdict on every machine; new inputs are explored by the profile above,
# and what it finds is pinned with @example.
settings.register_profile("repeatable", derandomize=True)
settings.load_profile("repeatable")


@pytest.fixture(scope="session")
def use_encoder() -> CachedEncoder:
    """The default encoder (use-m3), loaded once and cached for the whole session."""
    encoder = CachedEncoder(USEEncoder())
    encoder.encode(["warm up"])  # load the model now, so its time is not charged to one test
    return encoder


@pytest.fixture
def checker(use_encoder: CachedEncoder) -> Checker:
    """A checker with default options over the shared encoder."""
    return Checker(use_encoder)


@pytest.fixture(scope="session")
def pairs_dir() -> Path:
    return PAIRS_DIR


@pytest.fixture
def runner(use_encoder: CachedEncoder, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A click runner whose ``--encoder use-m3`` reuses the session's encoder.

    Only the default spec is redirected; every other spec (``st:…``, unknown names) goes through
    the real ``load_encoder`` so its errors are the ones users see.
    """
    real_load = align.embed.load_encoder

    def load_encoder(spec: str = align.embed.DEFAULT_ENCODER, device: str = "auto") -> align.embed.Encoder:
        built = real_load(spec, device)  # loads nothing; refuses an unknown spec or device as the CLI does
        return use_encoder if isinstance(built, align.embed.USEEncoder) else built

    monkeypatch.setattr(align.embed, "load_encoder", load_encoder)
    yield CliRunner()


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through playwright, once per session (skipped locally without it)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    if sync_playwright is None or CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("browser tests must run in CI: install Debian's chromium and the playwright package")
        pytest.skip("needs Debian's chromium (apt-get install chromium) and playwright")
    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
