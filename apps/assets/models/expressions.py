"""SQL expressions over the capture time that indexes are built on. The query must spell an
expression exactly as its index does, so both take it from here."""

from django.db.models import F, Func, IntegerField, TextField, Value


class CaptureMonthDay(Func):
    """month * 100 + day of the capture on the camera's clock (its recorded offset, else UTC):
    1225 for Christmas. Immutable (timestamp arithmetic at a fixed zone), so it can be indexed; it
    is what "on this day" memories look up."""

    output_field = IntegerField()

    def __init__(self):
        super().__init__(F("taken_at"), F("taken_at_offset"))

    def as_sql(self, compiler, connection, **extra):
        taken, taken_params = compiler.compile(self.source_expressions[0])
        offset, offset_params = compiler.compile(self.source_expressions[1])
        local = f"(({taken} AT TIME ZONE 'UTC') + COALESCE({offset}, 0) * INTERVAL '1 minute')"
        sql = f"((EXTRACT(MONTH FROM {local}) * 100 + EXTRACT(DAY FROM {local}))::integer)"
        return sql, (*taken_params, *offset_params, *taken_params, *offset_params)


class CaptureYear(CaptureMonthDay):
    """The year of the capture on the camera's clock."""

    def as_sql(self, compiler, connection, **extra):
        taken, taken_params = compiler.compile(self.source_expressions[0])
        offset, offset_params = compiler.compile(self.source_expressions[1])
        local = f"(({taken} AT TIME ZONE 'UTC') + COALESCE({offset}, 0) * INTERVAL '1 minute')"
        return f"(EXTRACT(YEAR FROM {local})::integer)", (*taken_params, *offset_params)


class Directory(Func):
    """The folder of an asset inside its library: "2024/Rome" for "2024/Rome/IMG_1.jpg", "" for a
    file at the root. Folders list their files through an index on it."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self):
        super().__init__(F("path"), Value("/?[^/]*$"), Value(""))
