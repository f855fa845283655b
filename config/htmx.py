"""What every app's views ask of an htmx request."""


def is_fragment_request(request) -> bool:
    """Whether to answer with the page's partial rather than the whole page. htmx asks for the
    whole page back when it restores history (its cache missed), so that one is a full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request
