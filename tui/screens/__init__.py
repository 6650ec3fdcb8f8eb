"""The drill's screens: briefing, console, end, help, and the modal forms."""
