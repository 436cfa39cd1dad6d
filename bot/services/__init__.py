"""Rules of the desk: validation, import and export, briefings, reminders. No discord here."""
