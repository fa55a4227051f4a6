"""Designsystemet's colour tokens (light scheme, static/vendor/designsystemet/theme.css) as hex.

The pictures drawn on the server (the timeline, the money charts) colour their shapes with SVG
presentation attributes, which cannot read CSS variables and must look the same in the PDF,
where Designsystemet's CSS is not loaded. Each name is the token's, without `--ds-color-`.
"""

from __future__ import annotations

TOKENS = {
    "accent-base-default": "#0062ba",
    "accent-border-subtle": "#99c0e3",
    "accent-surface-tinted": "#ddeaf6",
    "accent-text-default": "#002c54",
    "accent-text-subtle": "#005db1",
    "brand1-base-default": "#0d7a5f",
    "brand1-text-subtle": "#0b6a53",
    "brand2-base-default": "#5b3fa0",
    "warning-text-subtle": "#80540f",
    "success-text-subtle": "#056d13",
    "neutral-background-tinted": "#f3f3f4",
    "neutral-border-default": "#77797b",
    "neutral-border-subtle": "#bbbcbd",
    "neutral-surface-tinted": "#e8e8e9",
    "neutral-text-default": "#292c30",
    "neutral-text-subtle": "#5b5d60",
}


def token(name: str) -> str:
    """The hex value of a Designsystemet colour token, e.g. token("accent-base-default")."""
    return TOKENS[name]
