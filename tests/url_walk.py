"""A walk over every URL pattern of the project (admin included), concrete paths for its
routes, and requests that leave the database as they found it."""

import re
from dataclasses import dataclass

from django.contrib.admin import site as admin_site
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import RoutePattern

# --- The URLconf -------------------------------------------------------------------------


@dataclass
class Route:
    name: str  # "namespace:name", or "namespace:<route>" for unnamed patterns
    route: str  # the full route as written, e.g. "teach/sets/<int:pk>/"
    pattern: URLPattern
    params: list


def _params(pattern):
    if isinstance(pattern.pattern, RoutePattern):
        return list(pattern.pattern.converters)
    return list(pattern.pattern.regex.groupindex)


def all_routes():
    """Every URL pattern in the project, admin included, with a name to look it up by."""
    found = []

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
                walk(entry, prefix + str(entry.pattern), ns)
            else:
                route = prefix + str(entry.pattern)
                label = entry.name or f"<{route}>"
                name = f"{namespace}:{label}" if namespace else label
                found.append(Route(name, route, entry, _params(entry)))

    walk(get_resolver(), "", "")
    return found


_CONVERTER = re.compile(r"<(?:[^>:]+:)?([^>]+)>")


def fill(route: str, values: dict) -> str:
    """A concrete path for a route written with <converter:name> placeholders."""
    missing = [name for name in _CONVERTER.findall(route) if name not in values]
    assert not missing, f"no value for {missing} in {route}"
    return "/" + _CONVERTER.sub(lambda m: str(values[m.group(1)]), route)


def admin_model_for(route: str):
    """The model an admin route is about ("admin/quiz/question/..." → Question), or None."""
    parts = route.split("/")
    if len(parts) < 3 or parts[0] != "admin":
        return None
    for model in admin_site._registry:
        if model._meta.app_label == parts[1] and model._meta.model_name == parts[2]:
            return model
    return None


# --- Requests that change nothing --------------------------------------------------------


def request_and_roll_back(client, method, url, data=None, **extra):
    """Make the request inside a transaction that is rolled back, so a POST by an owner
    (delete, duplicate, finish...) does not change what the next request sees."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url, **extra)
        else:
            response = client.post(url, data or {}, **extra)
        transaction.set_rollback(True)
    return response


def is_html(response):
    return response.get("Content-Type", "").startswith("text/html")
