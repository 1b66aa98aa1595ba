"""papers_paper.summary_count, the number of public summaries (not hidden, deleted or
private) of each paper, is kept by a trigger on this app's table, whatever writes the
summaries (services, bulk inserts, merges, the admin, an import).

Papers migration 0007 used to install it, from the layer below; it is this app's now. On
a database made before, the old trigger and its function are dropped first, and the
counts are taken again either way. papers_paper's own trigger lets only updates made
inside another trigger change the column, so it is off while they are counted."""

from django.db import migrations

COUNT_SUMMARIES = """
DROP TRIGGER IF EXISTS summaries_summary_count ON summaries_summary;
DROP FUNCTION IF EXISTS papers_count_summaries();

CREATE FUNCTION summaries_count_summaries() RETURNS trigger AS $$
DECLARE
    was_public boolean := TG_OP <> 'INSERT' AND OLD.deleted_at IS NULL
                          AND OLD.hidden_at IS NULL AND NOT OLD.is_private;
    is_public boolean := TG_OP <> 'DELETE' AND NEW.deleted_at IS NULL
                         AND NEW.hidden_at IS NULL AND NOT NEW.is_private;
BEGIN
    -- A vote or an edit changes neither: no write to the paper, no lock on it.
    IF TG_OP = 'UPDATE' AND was_public = is_public AND OLD.paper_id = NEW.paper_id THEN
        RETURN NULL;
    END IF;
    IF was_public THEN
        UPDATE papers_paper SET summary_count = summary_count - 1 WHERE id = OLD.paper_id;
    END IF;
    IF is_public THEN
        UPDATE papers_paper SET summary_count = summary_count + 1 WHERE id = NEW.paper_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER summaries_summary_count AFTER INSERT OR UPDATE OR DELETE
ON summaries_summary FOR EACH ROW EXECUTE FUNCTION summaries_count_summaries();

ALTER TABLE papers_paper DISABLE TRIGGER papers_paper_keep_summary_count;
UPDATE papers_paper p SET summary_count = (
    SELECT count(*) FROM summaries_summary s
    WHERE s.paper_id = p.id AND s.deleted_at IS NULL AND s.hidden_at IS NULL
    AND NOT s.is_private
);
ALTER TABLE papers_paper ENABLE TRIGGER papers_paper_keep_summary_count;
"""
UNCOUNT_SUMMARIES = """
DROP TRIGGER summaries_summary_count ON summaries_summary;
DROP FUNCTION summaries_count_summaries();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("summaries", "0008_moderation_moves_out"),
        ("papers", "0007_summary_count"),
    ]

    operations = [migrations.RunSQL(COUNT_SUMMARIES, reverse_sql=UNCOUNT_SUMMARIES)]
