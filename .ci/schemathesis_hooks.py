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
