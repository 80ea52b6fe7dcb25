"""Report stage: the per-community profile data, and its renderings.

:func:`build_report` turns the frames of one run (:class:`ReportInputs`, read from a store by
:func:`microcomm.pipeline.load_report_inputs`) into plain data: the ``--format json``
contract. Every output is rendered from that data alone, one module per format:
:mod:`~microcomm.report.json` (:func:`to_json`) and :mod:`~microcomm.report.markdown`
(:func:`to_markdown`) and :mod:`~microcomm.report.html` (:func:`to_html`, one self-contained
page with inline SVG charts from :mod:`~microcomm.report.svg`); terminal rendering lives in ``cli/render.py`` (rich is not used here).

Layout: ``inputs.py`` (what a report reads), ``sections.py`` (the profile sections: frames
in, per-community tables out), ``community.py`` (one community's JSON entry),
``overview.py`` (run, audience, stability verdict, families, hidden, notes), ``summary.py``
(brand, period, ties, local time via ``localtime.py``, the one-page summary), ``build.py``
(the steps, in order).

JSON contract (stable; new keys may be added, none removed)::

    {"microcomm": version, "run": {...}, "audience": {...}, "stability": {...},
     "hierarchy": [{"id", "size", "label", "communities"}], "notes": [...],
     "communities": [{"id", "size", "label", "flags", "stability", "confidence", "macro",
                      "interests": [{"type", "value", "score", "members", "share_in", "share_out"}],
                      "members": [{"actor", "score", "confidence"}],
                      "interests_by_type", "creators", "bridges", "outside_accounts",
                      "activity", "locations", "platforms", "voice", "answers",
                      "polls": [{"poll_id", "platform", "question", "options": [{"option",
                                 "votes", "share"}], "total_votes", "members", "engagers",
                                 "share"}]}],
     "hidden": {...}}

Each community's sections follow the order a reader needs them: what sets it apart, who
matters inside, when and where, what it says to the brand, what it answered (and the polls it
took part in), how sure we are.
"""

from __future__ import annotations

from microcomm.report.build import build_report
from microcomm.report.html import to_html
from microcomm.report.inputs import ReportInputs
from microcomm.report.json import to_json
from microcomm.report.markdown import to_markdown

__all__ = ["ReportInputs", "build_report", "to_html", "to_json", "to_markdown"]
