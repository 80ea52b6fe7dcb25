"""Month over month: communities detected per period, matched into lasting lines.

``track_events(events, entities, config=...)`` splits the events into calendar periods
(:mod:`.periods`), detects each period as ``detect`` does, links the communities of
consecutive periods into lines with their transitions (:mod:`.matching`), and says what
changed inside each line and in the audience (:mod:`.changes`). :mod:`.runs` compares two
stored detection runs the same way. The result is the tracking data documented in
:mod:`.core`.
"""

from microcomm.track.core import build_tracking, member_flows, track_events
from microcomm.track.matching import build_lines, links, overlaps
from microcomm.track.periods import Period, detect_periods, split_periods

__all__ = [
    "Period",
    "build_lines",
    "build_tracking",
    "detect_periods",
    "links",
    "member_flows",
    "overlaps",
    "split_periods",
    "track_events",
]
