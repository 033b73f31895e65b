"""The WebSocket shell: routing, the consumer, and who is on a socket."""
