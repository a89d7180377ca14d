"""Phrases a navigator's contact notes are made of.

A note is an opening (what kind of contact, where), one or two sentences about the pathway worked
on, and a closing line about how the person seemed. Sentences starting with ``@`` describe
something done together in person, so phone, video and text notes never use them.
Slots: ``{name}`` (first name or initial), ``{their}``/``{them}`` (the person's pronouns),
``{venue}``, ``{day}``, ``{with_whom}``.
Written to be factual, kind and free of labels: what was done, what was agreed, what helps.
"""

from __future__ import annotations

VENUES = (
    "the café on Kirkgate",
    "Kirkgate Market",
    "Leeds Central Library",
    "the Corn Exchange",
    "Armley Park",
    "Roundhay Park",
    "the café by the bus station",
    "the community centre in Harehills",
    "the recovery gym in Armley",
    "a café in Headingley",
    "the Jobcentre on Eastgate",
    "the Hub at Holbeck",
    "Wakefield bus station café",
    "the allotments in Bramley",
    "Granary Wharf by the canal",
)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
WITH_WHOM = (
    "{their} probation officer",
    "the care coordinator",
    "the housing officer",
    "the welfare rights adviser",
    "the substance-use worker",
    "the college's student support team",
    "the volunteering coordinator",
    "{their} GP practice nurse",
)

OPENINGS: dict[str, tuple[str, ...]] = {
    "home_visit": (
        "Home visit to {name}'s flat.",
        "Visited {name} at home as planned.",
        "Home visit; {name} made us both a brew and we sat in the kitchen.",
        "Saw {name} at home. {their_cap} sister was there for the first part of the visit.",
        "Planned home visit. {name} had tidied up and said so with some pride.",
    ),
    "community": (
        "Met {name} at {venue}.",
        "Met {name} at {venue} as {name} prefers meeting away from the flat.",
        "Walked with {name} from the flat to {venue} and talked on the way.",
        "Met {name} at {venue}; quiet corner, easy to talk.",
    ),
    "office": (
        "{name} came to the team base for a planned meeting.",
        "Office appointment with {name}, who arrived early.",
        "{name} dropped in to the team base without an appointment; saw {them} for half an hour.",
    ),
    "phone": (
        "Phone call with {name}.",
        "{name} rang the office and asked for me.",
        "Planned phone catch-up with {name}.",
        "Rang {name} to follow up on last week.",
    ),
    "video": (
        "Video call with {name} on the tablet from the library.",
        "Video call with {name} and the care coordinator.",
    ),
    "text": (
        "Text exchange with {name}.",
        "{name} texted to check the time for {day}.",
        "Texted {name} a reminder about the appointment; reply received.",
    ),
    "with_other_agency": (
        "Joint appointment with {name} and " + "{with_whom}.",
        "Went with {name} to meet " + "{with_whom}.",
        "Three-way meeting: {name}, " + "{with_whom}" + " and me.",
    ),
}

DID_NOT_ATTEND = (
    "{name} did not attend the planned meeting at {venue}. Waited 20 minutes, rang twice and left a "
    "voicemail. No known concerns; will try again {day}.",
    "No answer at {name}'s flat for the planned visit. Left a card and texted. Neighbour said {name} "
    "had gone out early. Informed the care coordinator as the crisis plan asks after a missed contact.",
    "{name} did not come to the office appointment. Texted later to say {their} bus did not turn up; "
    "rebooked for {day}.",
    "Missed appointment. Rang {name}'s mobile: switched off. Second missed contact this month, so "
    "discussed with the duty senior and the care coordinator; welfare phone call planned for tomorrow.",
)
CANCELLED = (
    "{name} texted in the morning to cancel; has a dental appointment. Rebooked for {day}.",
    "Visit cancelled by the team (staff sickness). Rang {name} to explain and rebooked for {day}.",
    "{name} cancelled as {their} mum is poorly and {name} is going over to help. Rebooked for {day}.",
    "Cancelled: {name} asked to move the meeting because of a probation appointment. Rebooked for {day}.",
)
TEXT_BODIES = (
    "Confirmed we will meet at {venue} on {day}.",
    "{name} said the food bank parcel arrived and said thanks.",
    "{name} asked whether I could bring the college form on {day}; said yes.",
    "Sent the address of the Jobcentre and the appointment time; {name} replied with a thumbs-up.",
)

BODIES: dict[str, tuple[str, ...]] = {
    "housing": (
        "Talked through the housing register banding letter; {name} wants to bid on one-bed flats near "
        "{their} mum in Bramley.",
        "@Looked at the damp in the bathroom together and photographed it for the repair request.",
        "Went over the tenancy agreement so {name} knows what the landlord is responsible for.",
        "Discussed the move-on plan from supported accommodation; {name} is anxious about living alone "
        "and we agreed to visit the new area together first.",
        "@Helped {name} fill in the furniture grant application.",
        "{name} has been bidding every week and is now fourth on the list for a flat in Armley.",
    ),
    "welfare_benefits": (
        "Talked through the PIP form; agreed to bring payslips and the GP letter next week.",
        "Checked the Universal Credit journal together; a sanction warning had been sent by mistake and "
        "{name} has asked the work coach to correct it.",
        "Worked out a weekly budget; gas and electric are now on the Warm Home Discount.",
        "Booked an appointment with the welfare rights adviser about the PIP mandatory reconsideration.",
        "{name}'s PIP award letter has arrived: standard rate daily living. Pleased and relieved.",
    ),
    "volunteering": (
        "Talked about volunteering at the food bank; {name} would like two mornings a week to start.",
        "{name} did {their} first shift at the community garden and enjoyed it more than expected.",
        "@Filled in the volunteer application together. The DBS question worried {name}; talked through "
        "what will be asked and how the volunteering bureau handles it.",
        "@Visited the charity shop on the high street together to ask about volunteering.",
    ),
    "education": (
        "Looked at the college's maths and English courses; {name} wants to start with English in January.",
        "{name} has enrolled on the short IT course at the library and went to the first session.",
        "Talked about the barista course; {name} is keen but worried about the early start.",
        "@Helped {name} with the bursary form for the college course.",
    ),
    "employment": (
        "@Updated {name}'s CV; added the kitchen work from the hospital vocational programme.",
        "Talked through disclosure of convictions to employers and practised what {name} might say.",
        "{name} has an interview at the warehouse on {day}; planned the bus route together.",
        "Went over the job offer letter and the hours; {name} has checked the effect on Universal Credit "
        "with the work coach.",
    ),
    "wellbeing_college": (
        "Looked at the recovery college prospectus; {name} chose the managing stress and hearing voices "
        "courses.",
        "{name} went to the wellbeing college session on sleep and said it was useful.",
        "Talked about the peer-led walking group; {name} would like me to go to the first one with {them}.",
    ),
    "physical_health": (
        "Talked about the annual health check; {name} agreed to book it with the practice nurse.",
        "@Went with {name} to the dentist for the first time in four years.",
        "{name} has been going to the recovery gym twice a week and says sleep is better.",
        "Talked about stopping smoking; {name} took the leaflet for the stop-smoking service.",
        "{name} has a GP appointment about the pain in {their} knee; offered to go along.",
    ),
    "substance_use": (
        "{name} talked openly about a lapse at the weekend and what led up to it; agreed to talk to the "
        "substance-use worker this week.",
        "Reviewed the drinking diary together; three alcohol-free days this week.",
        "{name} says cannabis use is down to weekends; talked about the link with poor sleep.",
        "@Attended the recovery meeting at the hub with {name}, who said it felt less daunting than "
        "expected.",
    ),
    "family_social": (
        "Talked about {their} daughter's birthday and how contact is arranged through children's services.",
        "{name} has been back in touch with {their} brother after two years; going for tea on Sunday.",
        "Talked about loneliness in the evenings; looked at the men's group and the chess club at the "
        "library.",
        "{name} went to the football with a friend from the allotment and enjoyed it.",
    ),
}

CLOSINGS = (
    "Mood brighter than last visit.",
    "{name} seemed tired but engaged well.",
    "Said sleep has been poor this week; encouraged {them} to mention it to the care coordinator.",
    "No concerns about risk today.",
    "Engaged well throughout.",
    "Quieter than usual; agreed to check in by phone on {day}.",
    "Reports taking medication as prescribed.",
    "Noticeably more relaxed than last month.",
    "{name} was chatty and laughing; said things feel more settled.",
    "Some frustration about the wait; listened and agreed what I can chase.",
    "Talked about early warning signs from the crisis plan; none reported.",
    "",
)
ACTIONS: dict[str, tuple[str, ...]] = {
    "housing": (
        "Chase the repair request with the housing officer.",
        "Send bidding reminder text on Monday.",
    ),
    "welfare_benefits": (
        "Book welfare rights appointment.",
        "Bring the PIP form and a copy of the GP letter.",
    ),
    "volunteering": (
        "Email the volunteering bureau with the application.",
        "Go with {name} to the first shift.",
    ),
    "education": ("Print the enrolment form.", "Ask the college about the bursary deadline."),
    "employment": ("Send the CV to the employment adviser.", "Check the interview time and text {name}."),
    "wellbeing_college": ("Book the two courses online with {name}.",),
    "physical_health": ("Remind {name} about the GP appointment the day before.",),
    "substance_use": ("Let the substance-use worker know about the lapse (with {name}'s agreement).",),
    "family_social": ("Find the times of the chess club.",),
}
FEEDBACK = (
    "Said the visit helped and asked to meet somewhere other than the flat next time.",
    "{name} said it is good to have someone who turns up when they say.",
    "Would prefer texts to phone calls.",
    "Said it is nice to talk about something other than hospital and medication.",
    "{name}'s mum said she has noticed a real change over the summer.",
)
IN_REACH_OPENINGS = (
    "In-reach visit to {name} on the ward, with {their} named nurse for the first part.",
    "Met {name} on the ward to plan for leave and discharge.",
    "Escorted community leave with {name}: bus into town and a coffee at {venue}.",
    "Ward visit; {name} showed me the room and the artwork {they_are} working on in OT.",
)
ERROR_REASONS = (
    "Recorded against the wrong client; re-entered on the correct record.",
    "Duplicate of an entry already made for the same contact.",
    "Wrong date: the contact was rebooked and did not take place on this day.",
)


def _split(
    bodies: dict[str, tuple[str, ...]],
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    in_person = {k: tuple(b.lstrip("@") for b in v) for k, v in bodies.items()}
    remote = {k: tuple(b for b in v if not b.startswith("@")) for k, v in bodies.items()}
    return in_person, remote


IN_PERSON_BODIES, REMOTE_BODIES = _split(BODIES)
