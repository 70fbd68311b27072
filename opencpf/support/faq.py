"""The help centre's questions, in the order of the public-service sheet (shared/seeds/000): what the CPF is,
creating the account, rights, finding a training, registering, after the answer, cancelling, evaluating, scams,
living abroad. Amounts and delays are placeholders filled from the parameters in force (`opencpf.utils.legal`)."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from opencpf.utils.legal import legal_values


@dataclass(frozen=True)
class Question:
    slug: str
    question: str
    paragraphs: tuple
    # {placeholder: parameter name}, e.g. {"amount": "rights/annual_amount"}
    values: dict = field(default_factory=dict)
    links: tuple = ()  # (url name, label)

    def answer(self) -> list[str]:
        filled = legal_values(**self.values) if self.values else None
        return [str(paragraph) % filled if filled else str(paragraph) for paragraph in self.paragraphs]


@dataclass(frozen=True)
class Section:
    slug: str
    title: str
    questions: tuple


SECTIONS = (
    Section(
        "cpf",
        _("What the personal training account is"),
        (
            Question(
                "what-is-cpf",
                _("What is the personal training account (CPF)?"),
                (
                    _(
                        "The personal training account (CPF) is a sum of money made available to you to pay for "
                        "qualifying or certifying trainings throughout your working life, even when you are "
                        "unemployed. Depending on your situation, money is credited to your account every year."
                    ),
                ),
            ),
            Question(
                "who",
                _("Who has a personal training account?"),
                (
                    _(
                        "Every active person: employees, members of a liberal or self-employed "
                        "profession, and job seekers. The account stays yours when you change employer, lose your "
                        "job or move abroad."
                    ),
                ),
            ),
            Question(
                "official",
                _("Is this the official site?"),
                (
                    _(
                        "Use your training account only on the official site. Never give your social security "
                        "number or your codes (username, password, codes received by email or text message): you "
                        "must be the only one to access your account."
                    ),
                ),
            ),
        ),
    ),
    Section(
        "account",
        _("Creating your account"),
        (
            Question(
                "create",
                _("How do I create my account?"),
                (
                    _(
                        "Have your social security number ready (13 digits and a 2-digit key, starting with 1 or "
                        "2), an email address and a phone number. Choose a password of at least 12 characters. "
                        "You then confirm your email address with the code you receive."
                    ),
                ),
                links=(("accounts:register", _("Create my account")),),
            ),
            Question(
                "number-taken",
                _("My social security number is already used by an account I did not create"),
                (
                    _(
                        "Somebody may have created an account with your number. Send an identity check with a "
                        "document: once an agent has checked it, the account is given back to you and every "
                        "session of the other person ends."
                    ),
                ),
                links=(("identity:recover", _("Recover my account")),),
            ),
            Question(
                "verify",
                _("Why must I verify my identity?"),
                (
                    _(
                        "You can read your rights and search for trainings with a basic account. To use your "
                        "rights (accept a proposal) your identity must be verified: through an identity federation, "
                        "an identity document checked by an agent, or in person with a career advisor."
                    ),
                ),
                links=(("identity:check", _("Verify my identity")),),
            ),
            Question(
                "new-device",
                _("Why do I receive a code each time I sign in from a new device?"),
                (
                    _(
                        "To protect your account, a 6-digit code is sent by email each time you sign in from a "
                        "device we do not know yet. Nobody from the service will ever ask you for this code."
                    ),
                ),
            ),
        ),
    ),
    Section(
        "rights",
        _("Your rights"),
        (
            Question(
                "how-much",
                _("How much is credited to my account each year?"),
                (
                    _(
                        "An employee who worked at least half of the legal working time in the year receives "
                        "%(amount)s, up to a cap of %(cap)s. Below half, the amount is in proportion to the hours "
                        "worked."
                    ),
                    _(
                        "A holder without a level 3 certification (CAP, BEP) and a disabled worker receive "
                        "%(priority)s a year, up to %(priority_cap)s."
                    ),
                ),
                values={
                    "amount": "rights/annual_amount",
                    "cap": "rights/cap",
                    "priority": "rights/annual_amount_priority",
                    "priority_cap": "rights/cap_priority",
                },
                links=(("rights:simulate", _("Simulate my rights")),),
            ),
            Question(
                "when",
                _("When are my rights credited?"),
                (
                    _(
                        "Rights for a year are credited by %(day)s of the following year at the latest, from the "
                        "hours your employers declared. A job seeker does not acquire rights while unemployed but "
                        "keeps those already acquired."
                    ),
                ),
                values={"day": "rights/crediting_day"},
                links=(("rights:my_rights", _("My rights")),),
            ),
            Question(
                "top-up",
                _("Can someone add money to my account?"),
                (
                    _(
                        "Yes. Your employer, France Travail, your region or an OPCO can credit your account or top "
                        "up one training file when your rights are not enough. These sums do not count towards "
                        "the cap."
                    ),
                ),
            ),
        ),
    ),
    Section(
        "find",
        _("Finding a training"),
        (
            Question(
                "search",
                _("How do I find a training?"),
                (
                    _(
                        "Search the catalogue by keyword, place, dates, price, duration or rating. Only "
                        "certifying trainings given by organisations holding the Qualiopi certification are listed."
                    ),
                ),
                links=(("catalogue:search", _("Find a training")),),
            ),
            Question(
                "advisor",
                _("Who can help me choose?"),
                (
                    _(
                        "A career development advisor (CEP) helps you for free to take stock of your situation "
                        "and choose a training. The network depends on your situation: France Travail, Apec, Cap "
                        "emploi, Missions locales or your region's operator."
                    ),
                ),
                links=(("advisors:find", _("Find an advisor")),),
            ),
        ),
    ),
    Section(
        "register",
        _("Registering"),
        (
            Question(
                "how-register",
                _("How do I register for a training?"),
                (
                    _(
                        "From the training's page, choose a session and send your request. The organisation has "
                        "%(respond)s to answer; without an answer the request lapses."
                    ),
                ),
                values={"respond": "dossiers/respond_days"},
            ),
            Question(
                "contribution",
                _("Will I have to pay something?"),
                (
                    _(
                        "A flat contribution of %(contribution)s is part of the price of each training paid with "
                        "your account; you pay it by card when you accept the proposal. Job seekers and files "
                        "co-funded by the employer do not pay it. If your rights do not cover the whole price, "
                        "you pay the rest by card."
                    ),
                ),
                values={"contribution": "contribution/flat_contribution"},
            ),
        ),
    ),
    Section(
        "after",
        _("After the organisation's answer"),
        (
            Question(
                "proposal",
                _("The organisation sent me a proposal: what do I do?"),
                (
                    _(
                        "Check the dates and the price, then accept within %(accept)s. Your rights are used and "
                        "you pay what is left at that moment. Without your answer the proposal lapses."
                    ),
                ),
                values={"accept": "dossiers/accept_days"},
                links=(("dossiers:list", _("My training files")),),
            ),
            Question(
                "refused",
                _("The organisation refused my request"),
                (
                    _(
                        "The refusal gives a reason in your file. Nothing was taken from your rights: you can ask "
                        "another session or another organisation."
                    ),
                ),
            ),
        ),
    ),
    Section(
        "cancel",
        _("Cancelling"),
        (
            Question(
                "cancel-before",
                _("Can I cancel my training?"),
                (
                    _(
                        "Yes. If you cancel more than %(days)s before the start, everything is credited back to "
                        "your account. Later, or if you do not attend, the rights used are lost."
                    ),
                ),
                values={"days": "dossiers/free_cancellation_days"},
            ),
            Question(
                "abandon",
                _("What if I must stop during the training?"),
                (
                    _(
                        "If you stop for a reason of force majeure (illness, accident…) and can prove it, the "
                        "unused part of your rights is credited back. Otherwise the rights used are lost."
                    ),
                ),
            ),
        ),
    ),
    Section(
        "evaluate",
        _("Evaluating your training"),
        (
            Question(
                "rate",
                _("How do I rate my training?"),
                (
                    _(
                        "Once the training is over, open its file: you confirm that it took place and rate the "
                        "welcome, the content, the trainers, the resources and the support from 1 to 5. Ratings "
                        "are shown on the training's page to help other holders."
                    ),
                ),
                links=(("dossiers:list", _("My training files")),),
            ),
        ),
    ),
    Section(
        "scams",
        _("Scams"),
        (
            Question(
                "am-i-victim",
                _("How do I know I am the victim of a scam?"),
                (
                    _(
                        "You may be the victim of a scam if you were registered for a training without knowing "
                        "it, if you can no longer sign in and think your account was hacked, or if you gave your "
                        "identity and your social security number to a suspicious organisation. Being called "
                        "about your training account without having asked for it is illegal."
                    ),
                ),
                links=(("scams:report", _("Report a scam")),),
            ),
            Question(
                "what-to-do",
                _("What should I do meanwhile?"),
                (
                    _(
                        "Change your password at once if you can still sign in, and on other sites where you "
                        "used it. Check your contact details and your files. Keep every piece of evidence. File a "
                        "complaint with the police or the gendarmerie."
                    ),
                ),
                links=(("scams:precautions", _("Precautions")),),
            ),
        ),
    ),
    Section(
        "abroad",
        _("Living abroad"),
        (
            Question(
                "abroad-rights",
                _("I live abroad: do I keep my rights?"),
                (
                    _(
                        "Yes. Your rights stay acquired when you move abroad, until you use them or your account "
                        "is closed."
                    ),
                ),
            ),
            Question(
                "abroad-access",
                _("I cannot sign in from abroad"),
                (
                    _(
                        "To protect accounts, sign-ins from outside France and the European Economic Area are "
                        "refused after a few attempts a day from the same address. Ask for personal access with "
                        "a proof of your residence: once an agent grants it, you can sign in from abroad."
                    ),
                ),
                links=(("identity:access_request", _("Ask for access from abroad")),),
            ),
        ),
    ),
)
