"""Which career advice (CEP) network serves a situation: one pure rule, no database, no date lookup inside.

Precedence, from the most specific public to the general one (a person matching several publics goes to the first):
  1. living abroad                          → the network for French people abroad (remote appointments only);
  2. disabled worker (RQTH / BOETH)          → Cap emploi, whatever the status or age;
  3. aged `mission_locale_max_age` or less   → Mission locale (young people, job seekers included);
  4. job seeker                              → France Travail (managers who lost their job included);
  5. manager (cadre) in work                 → Apec;
  6. anyone else (employees, self-employed)  → the regional operator for employed people.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

from opencpf.accounts.enums import HolderStatus
from opencpf.advisors.enums import Network


@dataclass(frozen=True)
class Situation:
    status: str  # a HolderStatus value
    age: int | None = None
    disabled_worker: bool = False
    manager: bool = False
    abroad: bool = False


@dataclass(frozen=True)
class NetworkChoice:
    network: Network
    explanation: str  # one sentence, in the active language


def age_on(birth_date: datetime.date, today: datetime.date) -> int:
    """Age in whole years on `today` (a person born on 29 February turns one year older on 1 March)."""
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def network_for(situation: Situation, *, mission_locale_max_age: int) -> NetworkChoice:
    if situation.abroad:
        return NetworkChoice(
            Network.ABROAD,
            _("You live outside France: an advisor for French people abroad meets you by phone or video."),
        )
    if situation.disabled_worker:
        return NetworkChoice(
            Network.CAP_EMPLOI,
            _("As a disabled worker, Cap emploi advises you, whether you are in work or looking for a job."),
        )
    if situation.age is not None and situation.age <= mission_locale_max_age:
        return NetworkChoice(
            Network.MISSION_LOCALE,
            _("You are %(age)s or younger: the Missions locales advise young people, in work or not.")
            % {"age": mission_locale_max_age},
        )
    if situation.status == HolderStatus.JOB_SEEKER:
        return NetworkChoice(Network.FRANCE_TRAVAIL, _("As a job seeker, France Travail advises you."))
    if situation.manager:
        return NetworkChoice(Network.APEC, _("As a manager (cadre) in work, Apec advises you."))
    return NetworkChoice(
        Network.REGIONAL_OPERATOR,
        _("As an employee or self-employed person, your region's career advice operator advises you."),
    )
