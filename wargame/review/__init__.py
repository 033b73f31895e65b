"""Looking back at games: the replay viewer's steps, branch comparison, the debrief, the
analysts' export tables and the charts they draw. All but `compare` are pure view-models
over a log document (no Django)."""
