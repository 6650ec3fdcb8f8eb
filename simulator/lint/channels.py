"""Announcement channels against the duties they answer, and partial credit that rewards the worse outcome.

An action's ``channels`` give each level the channels it is announced on (ACTIVATE-3); a duty
that this action meets while one of those levels is in force must require exactly those channels,
or the auto-responder's announcement — on the level's channels — would leave the duty incomplete,
or a trainee's on the duty's channels be judged wrong. A late-and-incomplete duty earning more
credit than a late one, or than an incomplete one, rewards the worse outcome.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model import MetByAction, Text
from .base import Context, Finding


def check_channels(ctx: Context) -> Iterator[Finding]:
    """Channel rules that contradict the duties they answer; credit out of order."""
    plan = ctx.plan
    for name, action in plan.actions.items():
        if action.channels is None:
            continue
        for i, ob in enumerate(plan.obligations):
            met_by = ob.met_by
            if not isinstance(met_by, MetByAction) or name not in met_by.action:
                continue
            for level in ob.trigger.levels or ():
                given = action.channels.by_level.get(level)
                if given is None or set(given) == set(met_by.contents):
                    continue
                lines = ctx.lines([("obligations", i, "met_by", "contents"), ("actions", name, "channels", "by_level", level)])
                duty, chan = ", ".join(met_by.contents), ", ".join(given)
                yield Finding(
                    "CHANNELS-CONFLICT",
                    (ob.rule, action.channels.rule),
                    lines,
                    Text(
                        zh=f"{ob.rule}在{level}下要求经{duty}发布,而{action.channels.rule}给{level}的渠道是{chan}",
                        en=f"{ob.rule} at {level} requires {duty}, but {action.channels.rule} gives {level} the channels {chan}",
                    ),
                )
    credit = plan.credit
    if credit.late_incomplete > min(credit.late, credit.incomplete):
        yield Finding(
            "CREDIT-ORDER",
            (),
            ctx.lines([("credit", "late_incomplete")]),
            Text(
                zh=f"逾期且缺要素得分({credit.late_incomplete:g})高于仅逾期({credit.late:g})或仅缺要素({credit.incomplete:g})",
                en=f"late and incomplete earns {credit.late_incomplete:g}, more than late ({credit.late:g}) "
                f"or incomplete ({credit.incomplete:g}) alone",
            ),
        )
