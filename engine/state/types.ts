// Shapes shared by the state collector, the evaluation and the reports.

/** A finding as the policies build it (docs/policy-conventions.md, "Findings"). */
export interface Finding {
  requirement: string;
  clause: string;
  severity: 'high' | 'medium' | 'low' | string;
  title: { zh_TW: string; en: string };
  status: 'violation' | 'due_soon' | string;
  subject: Record<string, unknown> & { institution: string };
  evidence: unknown;
  message: { zh_TW: string; en: string };
  institution_defined?: string[];
}

/** The state document (engine/schema/state.schema.json); collections are plain JSON rows. */
export interface StateDocument {
  as_of: string;
  institution: { id: string; name: string; role: string; batch_server?: boolean; parameters?: Record<string, unknown> };
  [collection: string]: unknown;
}

export type Row = Record<string, unknown>;

/** A row the collector could not turn into the document (invalid_rows of the schema). */
export interface InvalidRow {
  table: string;
  id: string;
  pointer: string;
  message: string;
}
