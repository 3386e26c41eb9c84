"""Publishing: what is on, where and when."""
