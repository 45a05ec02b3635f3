"""Ways to wander through a library by time and place on disk: timeline buckets for the
scrubber, "on this day" memories, and the folder tree. Plain service functions; the API and the
pages call them."""
