"""How an all-or-nothing import writes: in bulk, once, when every row is good.

Saving a row at a time costs four queries a row (a savepoint, the row, its history, the
release), and a check that writes every row to roll it back costs as much again: 80,000
queries for a file of 10,000 rows. Here a row is read, checked and held in memory; the check
writes nothing (the rows' checks ask nothing of the database) and shows each row as it would
change; the confirm writes the held rows at the end, new ones and changed ones each in a few
statements, with a history record for each (who imported, from which file) and the cached
counts of what it wrote made out of date, as saving them one by one would.

``SpreadsheetResource`` builds on this: a resource need not know it, but

- what it sets outside its columns (``before_save_instance()``, ``import_related()``) is
  written too: an update writes the fields that changed, whichever set them;
- a row changing nothing is skipped (``skip_row()``), whatever the columns;
- the database's own checks (constraints) run at the confirm only, on the whole file: a
  resource checks in memory what its rows could break (``validate_in_database``).
"""

import html
from functools import cached_property

from django.utils import timezone
from django.utils.safestring import SafeString
from simple_history.utils import bulk_create_with_history

from core.counts import written

# Rows an UPDATE of varying values writes: it is a CASE with a WHEN for each row, which the
# database reads for every row. New rows are inserted in one statement (and their history in
# another) whatever their number, unless the database caps a statement's parameters (SQLite).
UPDATE_BATCH = 1000


def preview_cell(before: str, after: str, *, new: bool) -> SafeString:
    """A cell of the check page's preview: a value the row adds or changes is marked, after
    the one it replaces (a new object's defaults replace nothing)."""
    before, after = html.escape(before), html.escape(after)
    if before == after:
        return SafeString(after)
    if new:
        before = ""
    return SafeString(
        (f"<del>{before}</del>" if before else "") + (f"<ins>{after}</ins>" if after else "")
    )


class BulkWrites:
    """The writing side of a ``SpreadsheetResource`` (see the module's words). Its
    ``Meta`` sets ``use_bulk`` (no savepoint a row), ``batch_size = None`` (nothing written
    before the last row is read) and ``skip_diff`` (the preview is made here, from what a row
    changes, rather than by copying every object)."""

    # --- One row --------------------------------------------------------------------------

    def after_init_instance(self, instance, new, row, **kwargs):
        """Keep what an object on record holds before the row changes it: the fields to
        update, whether the row changes anything, and the preview's cells."""
        super().after_init_instance(instance, new, row, **kwargs)
        instance.import_before = None if new else self.field_values(instance)
        if self.dry_run:
            instance.import_cells = None if new else self.preview_values(instance)
        self.current_instance = instance

    @staticmethod
    def field_values(instance) -> dict:
        return {
            field.attname: getattr(instance, field.attname)
            for field in instance._meta.concrete_fields
        }

    def changed_fields(self, instance) -> list[str]:
        """The names of the fields the row changed on an object on record."""
        before = instance.import_before or {}
        return [
            field.name
            for field in instance._meta.concrete_fields
            if field.attname in before and getattr(instance, field.attname) != before[field.attname]
        ]

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """A row is skipped when it changes nothing on the object it names: importing a
        file twice writes nothing the second time."""
        if import_validation_errors or instance.pk is None or instance.import_before is None:
            return False
        return not self.changed_fields(instance)

    def after_import_row(self, row, row_result, **kwargs):
        """In the check, the row's cells as the object will hold them, marked where they
        change (the confirm shows no rows)."""
        super().after_import_row(row, row_result, **kwargs)
        instance = getattr(self, "current_instance", None)
        if not self.dry_run or instance is None:
            return
        after = self.preview_values(instance)
        before = instance.import_cells or [""] * len(after)
        new = instance.import_cells is None
        row_result.diff = [
            preview_cell(old, value, new=new) for old, value in zip(before, after, strict=True)
        ]

    @cached_property
    def preview_fields(self):
        return self.get_export_fields()

    def preview_values(self, instance) -> list[str]:
        cells = []
        for field in self.preview_fields:
            value = self.export_field(field, instance)
            cells.append("" if value is None else str(value))
        return cells

    # --- The whole file -------------------------------------------------------------------

    def refused(self, result) -> bool:
        return result is not None and (result.has_errors() or result.has_validation_errors())

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the new objects and their history, unless this is the check or a row is
        bad (the import takes every row or none)."""
        objects = list(self.create_instances)
        self.create_instances.clear()
        if not objects or dry_run or self.refused(result):
            return
        model = self._meta.model
        try:
            bulk_create_with_history(objects, model, **self.history_attributes())
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        else:
            written(model)  # bulk writes send no signals: the cached counts that read them

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Write the fields the rows changed on objects on record, and their history."""
        objects = list(self.update_instances)
        self.update_instances.clear()
        if not objects or dry_run or self.refused(result):
            return
        model = self._meta.model
        names = {name for instance in objects for name in self.changed_fields(instance)}
        now = timezone.now()
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False):  # as save() would: updated_at
                for instance in objects:
                    setattr(instance, field.attname, now)
                names.add(field.name)
        order = [field.name for field in model._meta.concrete_fields]
        try:
            self.update_with_history(objects, model, sorted(names, key=order.index))
        except Exception as error:
            self.handle_import_error(result, error, raise_errors)
        else:
            written(model)

    def history_attributes(self) -> dict:
        return {"default_user": self.history_user, "default_change_reason": self.history_reason}

    def update_with_history(self, objects, model, fields):
        """simple_history's bulk_update_with_history(), but with the fields that have one
        value for all the objects (the time of the import, a contact stepping down) set by
        one plain UPDATE: a bulk update is a CASE with a WHEN for each object and field,
        which costs."""
        if not objects:
            return
        same, varying = {}, []
        for name in fields:
            attname = model._meta.get_field(name).attname
            try:
                values = {getattr(obj, attname) for obj in objects}
            except TypeError:  # a value that cannot be compared so (JSON)
                values = ()
            if len(values) == 1:
                same[attname] = values.pop()
            else:
                varying.append(name)
        if same:
            model.objects.filter(pk__in=[obj.pk for obj in objects]).update(**same)
        if varying:
            model.objects.bulk_update(objects, varying, batch_size=UPDATE_BATCH)
        model.history.bulk_history_create(objects, update=True, **self.history_attributes())
