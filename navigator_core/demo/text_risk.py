# ruff: noqa: E501  (prose: sentences are kept whole so they can be read and edited as text)
"""Risk flags and safeguarding concerns.

The service's stance is positive risk-taking: each flag says what the risk is in plain words and,
more importantly, what helps and what the plan is, so that a worker reading it before a visit knows
what to do rather than only what to fear. Slots: ``{name}``, ``{their}``, ``{them}``, ``{district}``.
"""

from __future__ import annotations

# category -> (weight, [(description, management plan), ...])
RISKS: dict[str, tuple[int, tuple[tuple[str, str], ...]]] = {
    "violence_to_others": (
        16,
        (
            (
                "Index offence involved violence towards a family member while acutely unwell (see the "
                "discharge summary). No incidents since discharge.",
                "Risk is low when well and engaged. Early signs are poor sleep, suspicion of neighbours and "
                "stopping medication; if seen, contact the care coordinator the same day. Lone visits are fine; "
                "{name} prefers meeting in cafés, which also supports {their} goal of getting out more.",
            ),
            (
                "Has become verbally aggressive when intoxicated, most recently at the hostel in spring.",
                "Do not start a visit if {name} is clearly intoxicated: rearrange kindly and leave. Meet in the "
                "morning when {name} is usually sober. Agreed with {name}, who would rather we rearranged.",
            ),
            (
                "History of assault on staff in the secure unit (two incidents, the last over three years ago).",
                "Reviewed with the forensic psychologist: current risk low-moderate. Sit between {name} and the "
                "door at first visits; share worries with the team after each contact. Building trust is the plan.",
            ),
        ),
    ),
    "self_harm": (
        14,
        (
            (
                "Past self-harm by cutting during periods of low mood; last episode about eighteen months ago.",
                "{name} knows {their} warning signs (withdrawing, not eating) and agreed to text if they appear. "
                "Ask gently about mood at each contact. Crisis plan lists the crisis team and {their} sister.",
            ),
            (
                "Self-harm after family contact goes badly.",
                "Plan visits for the day after family contact. {name} has a self-soothe box and uses it. "
                "Positive risk-taking: family contact is important to {name} and continues, with support.",
            ),
        ),
    ),
    "suicide": (
        8,
        (
            (
                "Overdose two years ago around the anniversary of {their} mother's death (March).",
                "Increase contact in March (twice weekly), agreed with {name}. Medication is collected weekly. "
                "Ask directly about suicidal thoughts when mood is low; follow the crisis plan if present.",
            ),
            (
                "Has spoken of suicidal thoughts when facing recall to hospital.",
                "Talk openly about what recall means and what {name} can do to avoid it. Any disclosure: stay with "
                "{them}, call the crisis team and the care coordinator. Reviewed monthly in supervision.",
            ),
        ),
    ),
    "risk_from_others": (
        12,
        (
            (
                "Known to local people who sell drugs; at risk of cuckooing at the flat.",
                "Ask at each home visit who is staying. Housing officer aware. {name} has agreed a code word to "
                "text if people are in the flat. Meet outside the flat if others are present.",
            ),
            (
                "Financially exploited by an acquaintance in the past (benefits taken on payday).",
                "Appointee arrangement discussed and declined; {name} now has a basic bank account and a budget. "
                "Check in around payday. {name} knows how to contact the police non-emergency line.",
            ),
        ),
    ),
    "safeguarding_adult": (
        5,
        (
            (
                "Vulnerable to neglect of self-care when unwell.",
                "Food and utilities checked at visits. Adult social care involved. {name} agreed that we contact "
                "{their} sister if there is no answer for two visits running.",
            ),
        ),
    ),
    "safeguarding_child": (
        4,
        (
            (
                "Has a child in the care of the local authority; contact is supervised.",
                "No unsupervised contact with children, as children's services set out. {name} engages well with "
                "supervised contact; support {them} to attend and talk it through afterwards.",
            ),
        ),
    ),
    "substance_use": (
        14,
        (
            (
                "Alcohol use increases when isolated; linked to past offending.",
                "Working with the substance-use service. Alcohol-free days recorded in a diary {name} brings to "
                "visits. Lapses are talked about openly and are not a reason to stop support.",
            ),
            (
                "Cannabis use most days; linked to relapse of psychosis in the past.",
                "Harm reduction: {name} is cutting down to weekends. Conditions of discharge require abstinence, "
                "so the care coordinator is informed of any disclosed use; {name} knows this.",
            ),
        ),
    ),
    "fire_setting": (
        3,
        (
            (
                "Set fire to a bin outside the flat while unwell (index offence).",
                "Smoke alarms checked at home visits; fire service home safety check done. Lighters kept to a "
                "minimum. Risk linked to acute illness, so early-warning signs matter most.",
            ),
        ),
    ),
    "weapons": (
        4,
        (
            (
                "Was found carrying a knife for protection in 2019.",
                "{name} says {they_are} no longer carrying; ask at first contact each visit. Meet in public places "
                "if there are any concerns. Talked about feeling safe in {district} without a weapon.",
            ),
        ),
    ),
    "sexual_risk": (
        3,
        (
            (
                "Registered sex offender; MAPPA managed. Conditions restrict contact with under-18s.",
                "Follow the MAPPA plan. Do not meet near schools or parks at school times. Any concern to the "
                "police offender manager and care coordinator. Focus support on work and stable housing.",
            ),
        ),
    ),
    "environment": (
        9,
        (
            (
                "Large dog at the property (Staffordshire bull terrier); friendly but boisterous.",
                "Ring ahead so {name} can put the dog in the bedroom before the visit.",
            ),
            (
                "Needles may be present in the communal stairwell of the block.",
                "Use the lift or the front stairs; report to the housing officer. Wear sturdy shoes.",
            ),
            (
                "Flat is cluttered with a trip hazard in the hallway; poor lighting on the stairs.",
                "Take a torch in winter. {name} is working on clearing the hallway as one of {their} goals.",
            ),
        ),
    ),
    "visit_two_workers": (
        4,
        (
            (
                "Two workers for home visits following threats made to a worker in the past.",
                "Two workers at the flat until the next review; single-worker visits in public places are fine. "
                "{name} understands why and has agreed to it.",
            ),
        ),
    ),
    "visit_not_at_home": (
        3,
        (
            (
                "Do not visit at home: the flat is shared and another resident has made threats to staff.",
                "Meet at the team base or in town. Review when {name} moves.",
            ),
        ),
    ),
    "visit_public_place": (
        5,
        (
            (
                "Meet in a public place: {name} feels safer out of the flat and home visits have been tense.",
                "Meet in cafés or the library, {name}'s choice. Keep the buddy informed as usual.",
            ),
        ),
    ),
}
SOURCES = (
    "Discharge summary from the secure unit",
    "MAPPA meeting minutes",
    "Probation (offender manager)",
    "Care coordinator",
    "Observed on a visit",
    "Disclosed by the client",
    "Liaison and Diversion assessment",
    "Housing officer",
    "Family member",
)
RESOLVED_REASONS = (
    "No incidents for over a year; agreed at the risk review that the flag is no longer needed.",
    "Dog rehomed; no other hazards at the property.",
    "Moved to a new flat; the hazard no longer applies.",
    "Reviewed with the care coordinator: risk now held in the crisis plan instead.",
    "Two-worker visits ended at the review; lone visits have gone well since.",
)

SAFEGUARDING: dict[str, tuple[tuple[str, str], ...]] = {
    "financial": (
        (
            "{name} said a man from the block has been taking {their} bank card on payday for 'rent'.",
            "Talked with {name} about what {they_are} happy for us to do. Bank contacted with consent to stop "
            "the card; adult safeguarding referral made; police non-emergency informed.",
        ),
    ),
    "self_neglect": (
        (
            "Very little food in the flat; electric meter on emergency credit; {name} looks thinner.",
            "Food bank voucher given and meter topped up through the crisis fund. Care coordinator and GP "
            "informed; daily phone contact for the next week.",
        ),
    ),
    "domestic_abuse": (
        (
            "{name} disclosed that {their} partner has hit {them} twice this month.",
            "Risk assessment (DASH) done with {name}; referral to the independent domestic violence adviser "
            "with consent; safety plan agreed; adult safeguarding referral made.",
        ),
    ),
    "psychological": (
        (
            "A relative has been sending threatening messages to {name} about money.",
            "Saved the messages with {name}; supported {them} to report to the police; referral made.",
        ),
    ),
    "modern_slavery": (
        (
            "{name} said {they_are} being made to hold drugs at the flat for people who come round.",
            "Talked about safety first; police informed with {name}'s knowledge; adult safeguarding referral "
            "and referral for support under the National Referral Mechanism discussed with the team manager.",
        ),
    ),
    "child": (
        (
            "During a visit {name}'s visiting nephew (aged 6) was left alone in the flat for an hour.",
            "Discussed with the team manager the same day; children's services contacted and referral made.",
        ),
    ),
}
