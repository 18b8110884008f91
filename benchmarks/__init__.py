"""Benchmarks for muqabala: generated English/Arabic cases with known answers, and their scorers.

Run the modules from the repository root:

    python -m benchmarks.run                 # everything, writes BENCHMARKS.md
    python -m benchmarks.make_cases          # alignment cases (NAME.en.txt, NAME.ar.txt, NAME.gold)
    python -m benchmarks.make_check_cases    # check cases (also NAME.expect.json)
    python -m benchmarks.score_checks        # score JSON reports against NAME.expect.json
    python -m benchmarks.sweep               # aligner settings, in-process
    python -m benchmarks.sweep_checks        # check settings, in-process
    python -m benchmarks.html_render         # time a large HTML report in headless Chromium

``cases`` holds what both generators share (source corpora, article building, writing and
validating case files) and ``boilerplate`` the header/footer lines they add. The gold format,
the report reader and precision/recall/F1 belong to ``align.evaluate``, shared with ``align eval``.
"""
