"""The five demo logins, one for each role."""

from dataclasses import dataclass

from .membership import MEMBER_LOGIN_COMPANY
from .people import PersonSpec

DEMO_PASSWORD = "chamber-demo"


@dataclass(frozen=True)
class LoginSpec:
    username: str
    person: str
    description: str
    is_staff: bool = False
    group: str = ""


def logins(roster: list[PersonSpec]) -> list[LoginSpec]:
    member = next(p.name for p in roster if p.company == MEMBER_LOGIN_COMPANY and p.is_main_contact)
    return [
        LoginSpec("secretary", "郁惠芳", "秘书长 (admin, imports)", True, "secretariat"),
        LoginSpec("president", "连国旺", "会长"),
        LoginSpec("leader", "王振华", "副会长, 青浦区政协委员"),
        LoginSpec("supervisor", "邱永康", "监事", True, "supervisors"),
        LoginSpec("member", member, f"联系人, {MEMBER_LOGIN_COMPANY}"),
    ]
