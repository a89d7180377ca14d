"""Lone-working escalation: the central store tells people, one step at a time, that a worker has
not checked out (or asked for help), until someone answers.

- ``chain``: starting a chain (an overdue visit, an SOS) and ending it (acknowledged, checked out,
  extended, "worker safe").
- ``runner``: each server process claims the steps that are due in the database and sends them,
  so that several processes send each step once.
- ``recipients``: who each step is for (the worker, the buddy, whoever is on call now, the
  manager, the last resort) and how to reach them (``contacts``).
- ``channels``: e-mail over SMTP, GOV.UK Notify (SMS and e-mail) and a signed webhook.
- ``messages``: what a message says (never anything about the client).
- ``tokens``: the signed, single-use, expiring acknowledgement links and short codes.
- ``entries``: what the chain did, as ``visit_escalation`` entries of the store's own, synced to
  laptops so that On call shows who was told when and who answered.
"""
