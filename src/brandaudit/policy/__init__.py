"""Policy: Report + Settings -> claims judged, readiness score, next steps, exit code.

No I/O, no network, no clock. The modules, in the order a brand is judged:

* ``match``: which platform result a claim refers to, and whether a claim is the Bluesky
  domain-handle claim (the one matcher, shared with the renderers);
* ``claims``: the brand's declared claims and its people's required handles, judged;
* ``score``: the readiness score and grade (the weights are documented there), activity;
* ``steps``: the next steps, most impactful first;
* ``verdict``: ``assess`` (one brand, judged once), ``evaluate`` (a report and its exit code).
"""

from brandaudit.policy.claims import judge_claims, judge_people, judge_person, people_claims
from brandaudit.policy.score import (
    GRADES,
    WEIGHT_ACTIVITY,
    WEIGHT_BLUESKY_DOMAIN,
    WEIGHT_BRAND_HANDLE,
    WEIGHT_OPTIONAL_CLAIM,
    WEIGHT_REQUIRED_CLAIM,
    ScoreItem,
    activity_items,
    apply_activity,
    grade,
    score,
    score_items,
)
from brandaudit.policy.steps import DORMANT_STEP, next_steps
from brandaudit.policy.verdict import (
    Verdict,
    assess,
    change_exit_code,
    evaluate,
    exit_code_for,
    with_changes,
)

__all__ = [
    "DORMANT_STEP",
    "GRADES",
    "WEIGHT_ACTIVITY",
    "WEIGHT_BLUESKY_DOMAIN",
    "WEIGHT_BRAND_HANDLE",
    "WEIGHT_OPTIONAL_CLAIM",
    "WEIGHT_REQUIRED_CLAIM",
    "ScoreItem",
    "Verdict",
    "activity_items",
    "apply_activity",
    "assess",
    "change_exit_code",
    "evaluate",
    "exit_code_for",
    "grade",
    "judge_claims",
    "judge_people",
    "judge_person",
    "next_steps",
    "people_claims",
    "score",
    "score_items",
    "with_changes",
]
