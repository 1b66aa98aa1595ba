"""Views of the summaries app, one module per job: summary.py (reading, writing, history,
sharing, preview, figures), comments.py, votes.py."""
