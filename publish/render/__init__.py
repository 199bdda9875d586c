"""Render stage: composed HTML to laid-out pages with WeasyPrint (driver.py), sandboxed;
every change publish makes to a third-party library's internals is under patches/."""
