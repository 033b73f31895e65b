"""Server-rendered pages, one module per area: play (join, seat pages, the console),
replay (viewer, fork, comparison), debrief, exports, imports, home."""
