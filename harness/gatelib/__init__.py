"""Input side of `bookedbg gate --kernel BASE --patch FILE`: read a patch or a
series out of plain diffs, format-patch mails, mboxes and encoded mails
(mail.py), apply it to a copy of the gate's file set (apply.py), and get
kernel trees out of git checkouts and top-level Makefiles (tree.py)."""
