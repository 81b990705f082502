"""Settings of the load benchmark's server (benchmarks/load.py): the production settings, with a URLconf that
adds one bare view. Only the benchmark uses this module; production has no bare endpoint."""

from os2hub.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
