"""The demo: ``picketline load_demo`` and the demo's organiser and partner staff accounts. The
top of the layers: it names every app that brings demo data, and no app imports it."""
