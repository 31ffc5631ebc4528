"""Media in and out: decoding an episode video (PyAV) and drawing the two PNG pictures (Pillow).

Both are imported lazily by the handlers, so the bot starts without loading FFmpeg or Pillow.
"""
