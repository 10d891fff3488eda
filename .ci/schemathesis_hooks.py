"""Schemathesis hooks for .ci/fuzz-licensing.sh: values for the licensing
example's identifier formats.

The OpenAPI documents give each identifier a `format` (`upc`, `iswc`) and a
`pattern` with its shape. A check digit is beyond a pattern, so a value
generated from the pattern alone is refused nine times in ten, and the
fuzzer would spend its cases on the 422. These strategies make values with
the right check digit, by the rules in examples/licensing/src/domain/ids.rs.
"""

from hypothesis import strategies as st

import schemathesis


def _upc(digits):
    # GS1 mod 10: odd positions (from 1) weigh 3.
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(digits))
    return "".join(map(str, digits)) + str((10 - total % 10) % 10)


def _iswc(digits):
    total = 1 + sum(d * (i + 1) for i, d in enumerate(digits))
    check = (10 - total % 10) % 10
    d = "".join(map(str, digits))
    return f"T-{d[0:3]}.{d[3:6]}.{d[6:9]}-{check}"


_digit = st.integers(min_value=0, max_value=9)

schemathesis.openapi.format("upc", st.lists(_digit, min_size=11, max_size=11).map(_upc))
schemathesis.openapi.format("iswc", st.lists(_digit, min_size=9, max_size=9).map(_iswc))


def _blank_nulls(value):
    if value is None:
        return ""
    if isinstance(value, dict):
        return {key: _blank_nulls(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_blank_nulls(item) for item in value]
    return value


@schemathesis.serializer("application/xml", "text/xml")
def xml_with_empty_nulls(ctx, value):
    """XML has no null. Pale writes `None` as an empty element and reads an
    empty element as absent (pale-core/src/format/xml/mod.rs); schemathesis
    writes the text `null`, which a date or a boolean refuses. Nulls go out
    as empty elements, the rest as schemathesis serializes it."""
    from schemathesis.transport.serialization import serialize_xml

    return serialize_xml(ctx.case, _blank_nulls(value))["data"]


def _has_empty_element(value):
    """Whether some member serializes to an empty XML element: empty text,
    an empty list, an empty object."""
    if value in ("", [], {}):
        return True
    if isinstance(value, dict):
        return any(_has_empty_element(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_empty_element(item) for item in value)
    return False


def _has_blank_text(value):
    """Whether some member of a body is empty text."""
    if value == "":
        return True
    if isinstance(value, dict):
        return any(_has_blank_text(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_blank_text(item) for item in value)
    return False


@schemathesis.hook
def filter_failure(context, failure, case, response):
    """Drops the findings that contradict a design decision rather than the
    documents: a body whose value has the wrong JSON type, accepted
    (ST201, "Incorrect type").

    Pale casts scalars across types on purpose (DESIGN D2: input from any
    format is one untyped tree, and `"42"` is the integer 42 whether it came
    from a query string, XML or JSON; a boolean is `true`/`1`/`yes`/`on`).
    So the number `0` meant as a wrong type for a boolean is `false`, and
    in XML, which carries text only, an empty list or string meant for a
    URL is an empty element: the null the field allows. A query parameter
    is text whatever its schema says, read the same way: a blank one
    (`?per_page=`) is absent, so its default applies (ARCHITECTURE.md,
    decision 2: blank text reads as absent), and a query value of another type is accepted only
    when it casts. Empty text in a body is absent too, for an optional
    field (decision 2); the documents leave that out of the schemas, so
    that generators do not model `""` as a value (docs/writes.md), and a
    blank accepted where the schema wanted a format is not a finding.
    Every other mutation stays checked: a value out of
    range, too long, off its pattern or format, a missing member, an
    unknown one."""
    if failure.code != "ST201":
        return True
    message = failure.message or ""
    wrong_type = "Incorrect type" in message or "in query - violates `type`" in message
    xml = (case.media_type or "").endswith("xml")
    blank = _has_blank_text(case.body)
    return not (wrong_type or blank or (xml and _has_empty_element(case.body)))
