"""The tags app's domain logic: views, the API, the pipeline stage and the admin call these."""

from .assign import add_tags, remove_tags, tags_of  # noqa: F401
from .files import read_file_tags  # noqa: F401
from .listing import visible_tags, with_counts  # noqa: F401
from .names import clean_path  # noqa: F401
from .tags import create_tag, delete_tag, ensure_tags, merge, update_tag  # noqa: F401
