"""Validate, build and serve the Azerbaijan Political Prisoners Registry."""
