"""Events, visits and problems: filled in by the activities and visits issues."""
