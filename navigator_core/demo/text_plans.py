# ruff: noqa: E501  (prose: sentences are kept whole so they can be read and edited as text)
"""Support-plan goals, forensic and legal fields, crisis plans, handover notes, agencies.

Goals are in the person's own words. Legal conditions follow the wording these orders use, without
any real person's details. Slots as in ``text_contacts``, plus ``{district}``, ``{place}``,
``{initial}`` (a victim's initial, never a name), ``{coordinator}`` and ``{phone}``.
"""

from __future__ import annotations

GOALS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "housing": (
        (
            "I want my own flat, somewhere quiet near my mum's.",
            ("Register with the council housing register", "Bid every week", "View flats with my navigator"),
        ),
        (
            "I want to stay in this flat and keep on top of the rent.",
            ("Set up a direct debit for rent", "Sort out the damp with the landlord"),
        ),
        (
            "Move out of the hostel before Christmas.",
            ("Get the move-on assessment done", "Apply for the furniture grant", "Visit the new area"),
        ),
    ),
    "welfare_benefits": (
        (
            "Get my PIP sorted so I'm not worrying about money all the time.",
            ("Fill in the PIP form", "Get a letter from the GP", "Go to the assessment with support"),
        ),
        (
            "I want to understand my money and stop running out before payday.",
            ("Make a weekly budget", "Ask about the Warm Home Discount"),
        ),
    ),
    "volunteering": (
        (
            "I'd like to do something useful with my days, maybe at the food bank.",
            ("Go to the volunteering bureau", "Fill in the application", "Do a trial shift"),
        ),
        (
            "Help out at the community garden two mornings a week.",
            ("Visit the garden", "Agree the days with the coordinator"),
        ),
    ),
    "education": (
        (
            "Get my English GCSE so I can help my daughter with her homework.",
            ("Enrol at college", "Apply for the bursary", "Go to the first class"),
        ),
        ("Learn to use a computer properly.", ("Start the library IT course", "Set up an email account")),
    ),
    "employment": (
        (
            "I want a job, even part-time, in a kitchen.",
            ("Update my CV", "Talk to the employment adviser", "Apply for three jobs"),
        ),
        (
            "Get my forklift licence and work in a warehouse.",
            ("Find a course", "Ask about funding", "Practise what to say about my convictions"),
        ),
    ),
    "wellbeing_college": (
        (
            "Go on the hearing voices course and meet people who get it.",
            ("Look at the prospectus", "Book the course", "Go to the first session"),
        ),
        ("Learn ways to manage stress that don't involve a drink.", ("Book the managing stress course",)),
    ),
    "physical_health": (
        (
            "Get fitter and lose some of the weight the medication put on.",
            ("Join the recovery gym", "Go twice a week", "Book the annual health check"),
        ),
        ("Stop smoking by my birthday.", ("See the stop-smoking service", "Try the patches")),
        ("Get my teeth sorted.", ("Register with a dentist", "Go to the first appointment")),
    ),
    "substance_use": (
        (
            "Keep off the drink and stay out of trouble.",
            ("Keep a drinking diary", "Go to the recovery meeting on Thursdays"),
        ),
        ("Cut the weed down to weekends, then stop.", ("Talk to the substance-use worker", "Keep a diary")),
    ),
    "family_social": (
        (
            "See my son more and be a proper dad to him.",
            ("Go to supervised contact every fortnight", "Write to him on his birthday"),
        ),
        (
            "Make some friends who aren't from the old days.",
            ("Try the chess club at the library", "Go to the walking group"),
        ),
        ("Get back in touch with my brother.", ("Write a letter", "Meet for a coffee")),
    ),
}
OUTCOME_FOR_PATHWAY = {
    "housing": "housing_secured",
    "volunteering": "started_volunteering",
    "education": "enrolled_on_course",
    "wellbeing_college": "enrolled_on_course",
    "employment": "in_work",
    "welfare_benefits": "benefits_in_payment",
}
OTHER_OUTCOME_NOTES = {
    "substance_use": "Six months alcohol-free; marked it at the recovery meeting.",
    "physical_health": "Registered with a GP and a dentist; annual health check done.",
    "family_social": "Reconnected with family; now visiting monthly.",
}
OUTCOME_NOTES = {
    "housing_secured": "Signed the tenancy for a one-bed flat; keys collected.",
    "started_volunteering": "First shift done; now volunteering two mornings a week.",
    "enrolled_on_course": "Enrolled and has been to the first two sessions.",
    "in_work": "Started part-time work (16 hours a week).",
    "benefits_in_payment": "Award confirmed and first payment received.",
    "other": "Reconnected with family; now visiting monthly.",
}

REFERRAL_SOURCES = (
    "Medium secure unit (ward discharge planning)",
    "Low secure rehabilitation ward",
    "Prison mental health in-reach team",
    "Liaison and Diversion service",
    "Probation Service",
    "Community mental health team",
    "Approved premises",
    "Self-referral",
)
CONDITIONS_OF_DISCHARGE = (
    "Reside at {place} or as approved by the Responsible Clinician. Comply with medication as "
    "prescribed. Attend appointments with the care team and the psychiatrist. Abstain from illicit drugs "
    "and submit to drug testing when asked. Not to enter {district} without prior agreement.",
    "Reside as approved by the Responsible Clinician. Accept visits from the care coordinator and the "
    "social supervisor. Abstain from alcohol. No contact with the victim or the victim's family.",
    "Reside at the approved address. Comply with treatment. Not to enter the exclusion zone set out "
    "below. Inform the social supervisor of any new relationship.",
)
CTO_CONDITIONS = (
    "Make themselves available for examination for the renewal of the order. Attend depot clinic "
    "fortnightly. Live at the address agreed with the care coordinator.",
    "Attend outpatient appointments. Take medication as prescribed. Allow the care team to visit at home.",
)
LICENCE_CONDITIONS = (
    "Report to the offender manager as instructed. Reside at approved premises and observe the curfew "
    "(21:00 to 07:00). Not to enter {district}. No contact with {initial} directly or indirectly.",
    "Keep in touch with the supervising officer. Permanently reside at an address approved by probation. "
    "Not to undertake work involving children. Disclose new relationships.",
    "Attend appointments with the substance-use service. Curfew with electronic tag. Not to enter "
    "{district}.",
)
EXCLUSION_ZONES = (  # on licence (set by probation)
    "Must not enter the {district} ward of Leeds (map held by probation).",
    "Must not go within 500 metres of {place}.",
    "Must not enter Wakefield city centre.",
)
HOSPITAL_EXCLUSION_ZONES = (  # conditional discharge or CTO (set with the Responsible Clinician)
    "Must not enter the {district} ward of Leeds without prior agreement with the Responsible Clinician.",
    "Must not go within 500 metres of {place}.",
)
NO_CONTACT = (
    "No contact, direct or indirect, with {initial} (victim) or the victim's family.",
    "No contact with {initial} (former partner), including through social media.",
    "No contact with children under 18 except as agreed by children's services.",
)
RECALL_TRIGGERS = (
    "Disengagement from the care team for more than 7 days; evidence of relapse; entering the exclusion zone.",
    "Positive drug test with signs of relapse; threats to others; not taking medication.",
    "Breach of licence conditions (curfew, address, no-contact); failure to report.",
)
CRISIS_PLANS = (
    "Early signs: poor sleep, staying in, talking less, stopping medication. What helps: being reminded "
    "of {their} plans, a walk, talking to {support}. Who to call: care coordinator {coordinator}; "
    "out of hours the crisis team on {phone}. {name} would like to be told what is happening at each step.",
    "Early signs: suspicious of neighbours, not answering the phone, drinking more. What helps: "
    "familiar faces, music, meeting outdoors. If worried: ring {name}, then {support}, then the care "
    "coordinator {coordinator}; out of hours the crisis team on {phone}.",
    "Early signs: feeling hopeless around anniversaries, giving things away. What helps: being asked "
    "directly and kindly. Call the crisis team on {phone}; {name} has agreed we can contact {their} GP.",
)
COORDINATOR_ROLES = ("CPN", "social worker", "occupational therapist")
ACCESSIBILITY_NEEDS = (
    "Prefers short written summaries after meetings; dyslexic.",
    "Learning disability: use plain words and check understanding; easy-read letters.",
    "Hard of hearing in the left ear; sit on the right.",
    "Anxious in busy waiting rooms; offer the quiet room.",
    "Reading glasses needed for forms; keep a spare pair at the office.",
)
RELATIONSHIPS = ("mother", "father", "sister", "brother", "partner", "friend", "aunt", "daughter", "son")

HANDOVER_CLIENT = (
    "{name} rang the duty line at 21:30, low in mood after a row with {their} brother. Talked it through; "
    "{name} planned to watch the football and go to bed. Please ring in the morning to check in.",
    "{name} is moving flat on {day}; keys collected. Please note the new address in the record once confirmed.",
    "Probation have asked to be told if {name} misses any appointment this week (court date on {day}).",
    "Care coordinator on leave until {day}; any concerns about {name} to the duty CPN instead.",
    "{name} has started new medication; may feel drowsy. Ask about side effects if {name} calls.",
    "Police called at 02:10: {name} found in the city centre, distressed but unhurt; taken home. "
    "Please make sure the key worker sees this first thing.",
    "{name} may ring tonight about the gas: the meter is on emergency credit. Crisis fund voucher agreed "
    "by the duty senior.",
    "Visit to {name} tomorrow should be two workers (see risk flag); buddy arranged.",
)
HANDOVER_TEAM = (
    "Snow forecast overnight: plan visits near home and use phone contact where it is safe to.",
    "The office is closed on {day} for training; calls go to the duty mobile.",
    "New crisis team number in use from today; the old number diverts until the end of the month.",
    "Team meeting moved to {day} at 10:00.",
)
OVERRUN_ACTIONS = (
    "Buddy rang at check-out time with no answer; rang again after 10 minutes and reached the navigator, "
    "who had stayed to help with a letter. Safe; check-out recorded late.",
    "No check-out after 20 minutes; buddy rang the duty senior, who rang the client's landline. "
    "Navigator's phone had died; safe and back at the office.",
    "Visit overran by 30 minutes (client upset after a phone call from family). Navigator texted the "
    "buddy to extend; no escalation needed.",
)
CALL_CONTACTS = ("Duty senior (office)", "Team duty mobile", "Buddy")
AGENCIES: tuple[tuple[str, str, str], ...] = (
    # (type, name pattern, notes)
    ("housing", "{area} Housing Association", "Tenancy sustainment team take referrals by email."),
    ("housing", "{area} Supported Housing (move-on flats)", "Move-on panel meets on the first Tuesday."),
    ("probation", "Probation Service, {area} office", "Duty offender manager available weekdays."),
    ("police", "{area} Neighbourhood Policing Team", "Non-emergency: 101. Ask for the offender manager."),
    (
        "welfare_benefits",
        "{area} Welfare Rights Service",
        "Help with PIP, UC and appeals; drop-in on Wednesdays.",
    ),
    ("substance_use", "{area} Recovery Hub", "Open access mornings; recovery meeting on Thursdays."),
    ("recovery_gym", "{area} Recovery Gym", "Free sessions for people in recovery; referral form needed."),
    ("college", "{area} College, Adult Learning", "Maths and English from entry level; bursaries available."),
    (
        "volunteering",
        "{area} Volunteer Centre",
        "Matches volunteers to placements; supportive of convictions.",
    ),
    ("health", "{area} Health Centre", "Practice nurse runs annual health checks on Tuesdays."),
    ("other", "{area} Food Bank", "Vouchers through the navigator; open Monday, Wednesday, Friday."),
    ("other", "{area} Community Garden", "Volunteer mornings Tuesday and Thursday."),
)
