"""Fix-Tbilisi workflows: every change to a report, atomic, on its timeline and on the event spine.

Each do_* function runs in one transaction: the report, its timeline entry (ReportUpdate) and,
while the report is public, its Event (through record_event, so subscribers' ledger rows are
written in the same transaction) either all happen or none does. One module per concept:

- submitting: a new report (every entry point's one way in), its confirmation email, going live;
- lifecycle: changes of status, with the clocks they pause, resume or meet;
- casework: staff's internal notes, assignment, transfer to another department;
- support: "I have this problem too", and supporters merged from a duplicate;
- moderation: hiding reports and photos, blocking abusers;
- overdue: the sweep that stamps each missed deadline once;
- timeline: the trace every action leaves (the timeline entry and the event), used by all of them.

Import from the module: ``from fixtracker.actions.lifecycle import Change, do_change_status``.
Nothing here imports fixtracker.tasks: tasks call actions, never the other way round.
"""
