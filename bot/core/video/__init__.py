"""Episode video → movement numbers: pure arithmetic on grey frames (numpy), no decoding here.

`motion.py` turns frames into a movement series per picture half, `bursts.py` finds the bursts
and their rhythm, `findings.py` decides what the picture may add to the triage (escalate only).
"""
