"""URL safety: which hosts count as loopback, and which URLs the client may talk to.

The one place for ``is_loopback``; other parts (opening payment URLs) reuse it.
Rule: https is always allowed; plain http only to loopback (127.0.0.0/8, ::1, localhost).
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from .errors import InsecureURL


def host_is_loopback(host: str | None) -> bool:
    """True for ``localhost``, 127.0.0.0/8 and ::1 (also IPv4-mapped ::ffff:127.x)."""
    if not host:
        return False
    host = host.strip().strip("[]").rstrip(".").lower()
    if host == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def is_loopback(url: str) -> bool:
    """True when ``url``'s host is a loopback host."""
    try:
        return host_is_loopback(urlsplit(url).hostname)
    except ValueError:
        return False


def check_secure_url(url: str) -> str:
    """Return ``url`` if it is https, or http to loopback; raise InsecureURL otherwise."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise InsecureURL(f"not a valid URL: {url!r}") from exc
    if not host:
        raise InsecureURL(f"URL has no host: {url!r}")
    scheme = parts.scheme.lower()
    if scheme == "https":
        return url
    if scheme == "http" and host_is_loopback(host):
        return url
    if scheme == "http":
        raise InsecureURL(f"plain http is only allowed to loopback hosts, not {host!r}")
    raise InsecureURL(f"unsupported URL scheme {scheme!r}")
