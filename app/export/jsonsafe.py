"""JSON that is safe to paste into HTML.

Publishers embed ClaimReview and Web Annotation documents in
``<script type="application/ld+json">``; a string holding ``</script>`` would
end that element and run whatever follows. Every JSON Claimdesk writes escapes
``<``, ``>`` and ``&`` (and the JavaScript line breaks U+2028/U+2029) as
``\\uXXXX``: the same JSON to any reader, inert in an HTML page. These
characters only ever occur inside JSON strings, so replacing them in the
encoded text is exact.
"""

from __future__ import annotations

_HTML_UNSAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                              "\u2028": "\\u2028", "\u2029": "\\u2029"})


def html_safe(json_text: str) -> str:
    """Encoded JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\uXXXX`` escapes."""
    return json_text.translate(_HTML_UNSAFE)
