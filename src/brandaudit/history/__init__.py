"""History and drift: saved audits (``store``), what changed between two (``diff``), and the
``check --save/--baseline/--fail-on-change`` glue (``drift``)."""
