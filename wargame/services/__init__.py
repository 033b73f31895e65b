"""The one write path for each state change (HackSoft services, Zulip actions).

Each service writes its rows and its GameEvent(s) in one transaction, then publishes and
enqueues on commit, passing ids, never model instances.
"""
