# METADATA
# title: Reports, reviews and audits (報表、檢核與稽核)
# description: |
#   WEEKLY-01, SAMPLE-01, SELFCHECK-01, INTAUDIT-01, JCICAUDIT-01, JCICAUDIT-02, FSCAUDIT-01,
#   FSCAUDIT-02, CARDAUDIT-01, USAGE-01, TRAIN-01, RULES-01, CERT-01, INCIDENT-01.
#
#   Periodic requirements (weekly sheets, monthly samples, yearly and half-yearly audits, the
#   FSC's 2- and 5-year cycles) count calendar periods in Asia/Taipei. How periods are chosen:
#
#   - Activity start. The institution takes part in the plan from `activity_start_ns`:
#     `institution.active_since` when the document gives it, otherwise the earliest instant the
#     document shows activity (a query month or week, an account's creation — the evidence
#     behind lib.activity_start_year — or an audit). A user unit overseen by JCIC or the FSC
#     starts at its `joined_on`, else at the overseer's activity start. Nothing is flagged for a
#     period that ended before the start; with no start known, nothing is flagged at all.
#   - First period. The period (half-year, year) that contains the start is the first one that
#     must show the activity. The FSC's multi-year cycles are fixed blocks of 2 (on-site audits
#     of JCIC) or 5 (examinations of a user unit) calendar years, the first block beginning on
#     1 January of the start year: a unit that joined in March 2019 must be examined in
#     2019–2023, again in 2024–2028, and so on.
#   - Last period. A user unit whose linkage ended (`left_on`, or `linkage_active: false` with
#     no date) is checked only for the periods that ended while it was still linked.
#   - An activity counts for the period its `performed_at` falls in (and only when it is not
#     after as_of). A record with `deleted_at` still proves the activity took place; its early
#     deletion is reported separately where the plan sets a 5-year retention.
#   - A period that has not ended is never a violation; while its end is within due_soon.days
#     and the activity is still missing it is reported as `due_soon`.
package bligate.areas.oversight

import data.bligate.lib

state_findings contains f if some f in sample_01_state

state_findings contains f if some f in weekly_01_state

state_findings contains f if some f in selfcheck_01

state_findings contains f if some f in intaudit_01

state_findings contains f if some f in jcicaudit_01

state_findings contains f if some f in jcicaudit_02

state_findings contains f if some f in fscaudit_01

state_findings contains f if some f in fscaudit_02

state_findings contains f if some f in cardaudit_01

state_findings contains f if some f in usage_01

state_findings contains f if some f in train_01

state_findings contains f if some f in rules_01

state_findings contains f if some f in cert_01

state_findings contains f if some f in incident_01_state

config_findings contains f if some f in sample_01_config

config_findings contains f if some f in weekly_01_config

config_findings contains f if some f in intaudit_01_config

config_findings contains f if some f in jcicaudit_02_config

config_findings contains f if some f in incident_01_config

# ---------------------------------------------------------------------------------------------
# Roles and generic helpers of this area

role := object.get(input, ["institution", "role"], "")

is_user_unit if role == "user_unit"

is_agency if role == "management_agency"

is_supervisor if role == "supervisor"

is_batch if input.institution.batch_server == true

audits := object.get(input, "audits", [])

# "YYYY-MM-DD" of the last day before an exclusive end instant.
last_day(end_ns) := lib.date_of(end_ns - 1)

# An RFC 3339 rendering (Taipei) of an instant, for evidence.
instant(n) := time.format([n, lib.tz, "2006-01-02T15:04:05Z07:00"])

# A non-empty string field.
filled(obj, key) if {
	v := object.get(obj, key, null)
	is_string(v)
	v != ""
}

# The value of an institution-defined numeric parameter: the institution's value when it is a
# number ≥ 0, else the plan's default (an unusable value is itself reported: bad_number_override).
defined_number(name) := v if {
	v := lib.param(name)
	is_number(v)
	v >= 0
} else := lib.plan_value(name)

# An institution-defined numeric parameter overridden with something that is not a number ≥ 0.
bad_number_override(name) if {
	v := lib.overrides[name]
	not usable_number(v)
}

usable_number(v) if {
	is_number(v)
	v >= 0
}

bad_number_finding(chain, name) := lib.finding(
	chain, "violation",
	{"key": sprintf("parameters.%s", [name]), "parameter": name},
	{"parameter": name, "override": lib.overrides[name], "plan": lib.plan_value(name)},
	sprintf("參數 %s 設為 %v，非大於或等於 0 之數值，改用預設值 %v。", [name, lib.overrides[name], lib.plan_value(name)]),
	sprintf("Parameter %s is set to %v, which is not a number ≥ 0; the default %v is used.", [name, lib.overrides[name], lib.plan_value(name)]),
)

# ---------------------------------------------------------------------------------------------
# Activity start and calendar periods (see the package description)

# Evidence of activity: the earliest instant of each kind of record.
start_evidence contains lib.month_start_ns(m) if some m in lib.query_months

start_evidence contains lib.week_start_ns(w.week) if some w in object.get(input, "query_weeks", [])

start_evidence contains lib.ns(a.created_at) if {
	some a in object.get(input, "accounts", [])
	is_string(a.created_at)
}

start_evidence contains lib.ns(a.performed_at) if some a in audits

# The instant from which the institution takes part in the plan.
activity_start_ns := lib.date_ns(input.institution.active_since) if {
	is_string(input.institution.active_since)
} else := min(start_evidence) if {
	count(start_evidence) > 0
}

# A calendar period: id, bounds (end exclusive) and its first and last day.
period(id, s, e) := {"id": id, "start": s, "end": e, "from": lib.date_of(s), "to": last_day(e)}

# Years from the year of `start` up to the year of as_of (empty when start is after as_of).
years_since(start) := numbers.range(lib.year_of(start), lib.year_of(lib.as_of_ns)) if {
	start <= lib.as_of_ns
} else := []

# Calendar half-years from the one containing `start` up to the one containing as_of.
half_periods(start) := {period(h, s, e) |
	some y in years_since(start)
	some i in [1, 2]
	h := sprintf("%d-H%d", [y, i])
	s := lib.half_start_ns(h)
	e := lib.half_end_ns(h)
	e > start
	s <= lib.as_of_ns
}

# Calendar years from the one containing `start` up to the one containing as_of.
year_periods(start) := {object.union(period(sprintf("%d", [y]), lib.year_start_ns(y), lib.year_end_ns(y)), {"year": y}) |
	some y in years_since(start)
}

# Fixed blocks of n calendar years, the first beginning on 1 January of the year of `start`,
# up to the block containing as_of.
block_periods(start, n) := {period(sprintf("%d-%d", [a, (a + n) - 1]), lib.year_start_ns(a), lib.year_start_ns(a + n)) |
	some a in years_since(start)
	(a - lib.year_of(start)) % n == 0
}

# "violation" for a period that has ended, "due_soon" for one ending within due_soon.days.
gap_status(p) := "violation" if lib.ended(p.end)

gap_status(p) := "due_soon" if {
	not lib.ended(p.end)
	lib.due_soon(p.end)
}

# Audits of a kind performed within a period (and not after as_of).
performed_in(kind, p) := [a.id |
	some a in audits
	a.kind == kind
	t := lib.ns(a.performed_at)
	t >= p.start
	t < p.end
	t <= lib.as_of_ns
]

# The same, about one user unit (audits whose subject is the unit).
performed_on_unit_in(kind, unit, p) := [a.id |
	some a in audits
	a.kind == kind
	a.subject == unit
	t := lib.ns(a.performed_at)
	t >= p.start
	t < p.end
	t <= lib.as_of_ns
]

# Evidence for a period without the activity.
gap_evidence(p, kind) := {
	"period": p.id,
	"from": p.from,
	"to": p.to,
	"audit_kind": kind,
	"audits": 0,
	"active_since": lib.date_of(activity_start_ns),
}

# The status words of a message.
status_zh := {"violation": "未辦理", "due_soon": "尚未辦理，即將到期"}

status_en := {"violation": "was not carried out", "due_soon": "has not been carried out yet and is due soon"}

# ---------------------------------------------------------------------------------------------
# User units overseen by JCIC and the FSC

user_units := object.get(input, "user_units", [])

# The instant a user unit joined: joined_on, else the overseer's activity start.
unit_start_ns(u) := lib.date_ns(u.joined_on) if {
	is_string(u.joined_on)
} else := activity_start_ns

# The unit is linked at instant t: no end is known and the linkage is not marked inactive, or
# it ended (left_on) at or after t.
linked_at(u, _) if {
	not is_string(object.get(u, "left_on", null))
	object.get(u, "linkage_active", true) != false
}

linked_at(u, t) if lib.date_ns(u.left_on) >= t

# Periods a unit must show the activity for: those ending after it joined, while it was linked.
unit_periods(u, periods) := {p |
	some p in periods
	p.end > unit_start_ns(u)
	linked_at(u, p.end)
}

unit_gap_evidence(u, p, kind) := {
	"user_unit": u.id,
	"period": p.id,
	"from": p.from,
	"to": p.to,
	"audit_kind": kind,
	"audits": 0,
	"joined_on": lib.date_of(unit_start_ns(u)),
}

# ---------------------------------------------------------------------------------------------
# SAMPLE-01 — monthly sampling of query records

# The number of records a month's sample must cover: all of them below the minimum, else the
# larger of the minimum and the rate (rounded up).
sample_required(n) := n if n < lib.param("sampling.minimum")

sample_required(n) := max([lib.param("sampling.minimum"), lib.ceil_exact(n * lib.param("sampling.rate"))]) if {
	n >= lib.param("sampling.minimum")
}

# Whole months after the sampled month by whose end the sample is complete (institution-defined;
# default 1: the end of the following month). A fraction is rounded down (stricter).
sample_due_months := floor(defined_number("sampling.due_months"))

# The instant by which a month's sample is due.
sample_due_ns(month) := lib.month_plus_ns(month, 1 + sample_due_months)

# Records sampled for a month by an instant (samples completed by then, not deleted before it).
sampled_by(month, t) := sum([s.sampled |
	some s in object.get(input, "monthly_samples", [])
	s.month == month
	is_string(s.completed_at)
	lib.ns(s.completed_at) < t
])

sample_evidence(m, t) := {
	"month": m.month,
	"records": m.records,
	"sampled": sampled_by(m.month, t),
	"required": sample_required(m.records),
	"due": lib.date_of(sample_due_ns(m.month) - 1),
	"rate": lib.param("sampling.rate"),
	"minimum": lib.param("sampling.minimum"),
}

# A batch/server unit's sample of the month that also checked the system-generated query records
# by the due instant.
system_records_checked(month, t) if {
	some s in object.get(input, "monthly_samples", [])
	s.month == month
	s.system_records_checked == true
	is_string(s.completed_at)
	lib.ns(s.completed_at) < t
}

# METADATA
# scope: document
# title: Monthly sampling of query records
# description: Every month a designated person checks at least 2 % of the month's query records, and at least 10 (all when fewer), by the institution's due date; batch/server units also check the system-generated query records; samples are kept 5 years.
# custom:
#   requirement: SAMPLE-01
#   clause: 九(三)2(1)
#   severity: high
#   title_zh: 每月抽查查詢紀錄
#   modes: [state]
#   automated: true
#   applies: [U]
sample_01_state contains lib.institution_defined(f, ["sampling.due_months"]) if {
	is_user_unit
	some m in input.query_months
	m.records > 0
	due := sample_due_ns(m.month)
	lib.ended(due)
	sampled_by(m.month, due) < sample_required(m.records)
	ev := sample_evidence(m, due)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": m.month},
		ev,
		sprintf("%s 月查詢紀錄 %d 筆，至 %s 僅抽查 %d 筆，應至少抽查 %d 筆。", [m.month, m.records, ev.due, ev.sampled, ev.required]),
		sprintf("Month %s had %d query records; %d were sampled by %s, at least %d are required.", [m.month, m.records, ev.sampled, ev.due, ev.required]),
	)
}

sample_01_state contains lib.institution_defined(f, ["sampling.due_months"]) if {
	is_user_unit
	some m in input.query_months
	m.records > 0
	lib.ended(lib.month_end_ns(m.month))
	due := sample_due_ns(m.month)
	lib.due_soon(due)
	sampled_by(m.month, lib.as_of_ns) < sample_required(m.records)
	ev := sample_evidence(m, lib.as_of_ns)
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"month": m.month},
		ev,
		sprintf("%s 月應抽查 %d 筆，目前 %d 筆，期限 %s。", [m.month, ev.required, ev.sampled, ev.due]),
		sprintf("Month %s needs %d records sampled by %s; %d so far.", [m.month, ev.required, ev.due, ev.sampled]),
	)
}

# Batch/server units also check the system-generated query records (查詢紀錄) each month.
sample_01_state contains lib.institution_defined(f, ["sampling.due_months"]) if {
	is_user_unit
	is_batch
	some m in input.query_months
	m.records > 0
	due := sample_due_ns(m.month)
	lib.ended(due)
	not system_records_checked(m.month, due)
	d := lib.date_of(due - 1)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": m.month, "check": "system_records"},
		{"month": m.month, "records": m.records, "system_records_checked": false, "due": d, "batch_server": true},
		sprintf("批次／伺服器使用單位 %s 月之抽查至 %s 未核對系統自動產生之查詢紀錄。", [m.month, d]),
		sprintf("The batch/server unit's sample for %s did not check the system-generated query records by %s.", [m.month, d]),
	)
}

# The reviewer is never the staff member whose records are sampled.
sample_01_state contains f if {
	some s in input.monthly_samples
	s.reviewer in object.get(s, "reviewed_staff", [])
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": s.month, "sample": s.id, "staff": s.reviewer},
		{"month": s.month, "reviewer": s.reviewer, "reviewed_staff": s.reviewed_staff},
		sprintf("%s 月抽查由 %s 執行，但抽查對象包含其本人之查詢紀錄。", [s.month, s.reviewer]),
		sprintf("The %s sample was reviewed by %s, whose own query records were sampled.", [s.month, s.reviewer]),
	)
}

# Samples are kept five years.
sample_01_state contains f if {
	some s in input.monthly_samples
	is_string(s.deleted_at)
	created := lib.ns(object.get(s, "completed_at", null))
	lib.deleted_early(created, lib.ns(s.deleted_at))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"month": s.month, "sample": s.id},
		{"completed_at": s.completed_at, "deleted_at": s.deleted_at, "retention_years": lib.param("retention.years")},
		sprintf("%s 月抽查紀錄於 %s 刪除，未滿 %d 年保存期限。", [s.month, s.deleted_at, lib.param("retention.years")]),
		sprintf("The %s sample record was deleted on %s, before its %d-year retention ended.", [s.month, s.deleted_at, lib.param("retention.years")]),
	)
}

# Weaker overrides of the sampling parameters.
sample_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("SAMPLE-01")
}

sample_01_state contains bad_number_finding(rego.metadata.chain(), "sampling.due_months") if {
	bad_number_override("sampling.due_months")
}

# A configured retention (years) shorter than the plan's retention.years.
short_retention(key) := v if {
	v := object.get(input, ["retention", key], null)
	v != null
	v < lib.param("retention.years")
}

short_retention_finding(chain, key, v) := lib.finding(
	chain, "violation",
	{"key": sprintf("retention.%s", [key])},
	{"configured_years": v, "retention_years": lib.param("retention.years")},
	sprintf("retention.%s 設為 %v 年，少於規定之 %v 年。", [key, v, lib.param("retention.years")]),
	sprintf("retention.%s is %v years, shorter than the required %v years.", [key, v, lib.param("retention.years")]),
)

# METADATA
# scope: document
# title: Monthly sampling of query records (configuration)
# description: The sampling parameters are not weakened, and monthly samples are kept at least 5 years.
# custom:
#   requirement: SAMPLE-01
#   clause: 九(三)2(1)
#   severity: high
#   title_zh: 每月抽查查詢紀錄
#   modes: [config]
#   automated: true
#   applies: [U]
sample_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("SAMPLE-01")
}

sample_01_config contains bad_number_finding(rego.metadata.chain(), "sampling.due_months") if {
	bad_number_override("sampling.due_months")
}

sample_01_config contains short_retention_finding(rego.metadata.chain(), "monthly_samples", v) if {
	is_user_unit
	v := short_retention("monthly_samples")
}

# ---------------------------------------------------------------------------------------------
# WEEKLY-01 — weekly query record sheets

weekly_due_days := defined_number("weekly_sheet.due_days")

# The instant by which the sheet of ISO week w is signed and approved (exclusive).
weekly_due_ns(w) := lib.week_end_ns(w) + round(weekly_due_days * lib.ns_per_day)

weekly_sheets := object.get(input, "weekly_sheets", [])

# A sheet of week w signed by the query staff and approved by someone else (the authorised
# level) before instant t.
sheet_complete_by(w, t) if {
	some s in weekly_sheets
	s.week == w
	filled(s, "signed_by")
	filled(s, "approved_by")
	s.signed_by != s.approved_by
	filled(s, "signed_at")
	filled(s, "approved_at")
	lib.ns(s.signed_at) < t
	lib.ns(s.approved_at) < t
}

sheet_summary(w) := [{
	"id": s.id,
	"signed_by": object.get(s, "signed_by", null),
	"signed_at": object.get(s, "signed_at", null),
	"approved_by": object.get(s, "approved_by", null),
	"approved_at": object.get(s, "approved_at", null),
} |
	some s in weekly_sheets
	s.week == w
]

weekly_evidence(q) := {
	"week": q.week,
	"records": q.records,
	"week_from": lib.date_of(lib.week_start_ns(q.week)),
	"week_to": last_day(lib.week_end_ns(q.week)),
	"due": last_day(weekly_due_ns(q.week)),
	"due_days": weekly_due_days,
	"sheets": sheet_summary(q.week),
}

# METADATA
# scope: document
# title: Weekly query record sheet
# description: For every ISO week with query records a query record sheet is produced, signed by the query staff and approved by the authorised level within weekly_sheet.due_days after the week ends (institution-defined, default 7); sheets are kept 5 years.
# custom:
#   requirement: WEEKLY-01
#   clause: 六(一)6, 九(三)1
#   severity: medium
#   title_zh: 每週查詢紀錄單
#   modes: [state]
#   automated: true
#   applies: [U]
weekly_01_state contains lib.institution_defined(f, ["weekly_sheet.due_days"]) if {
	is_user_unit
	some q in object.get(input, "query_weeks", [])
	q.records > 0
	due := weekly_due_ns(q.week)
	lib.ended(due)
	not sheet_complete_by(q.week, due)
	ev := weekly_evidence(q)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"week": q.week},
		ev,
		sprintf("%s 週（%s 至 %s）有 %d 筆查詢紀錄，至 %s 未有經查詢人員核章並經授權核定層級人員核可之查詢紀錄單。", [q.week, ev.week_from, ev.week_to, q.records, ev.due]),
		sprintf("Week %s (%s to %s) had %d query records, but no query record sheet was signed by the query staff and approved by the authorised level by %s.", [q.week, ev.week_from, ev.week_to, q.records, ev.due]),
	)
}

weekly_01_state contains lib.institution_defined(f, ["weekly_sheet.due_days"]) if {
	is_user_unit
	some q in object.get(input, "query_weeks", [])
	q.records > 0
	lib.ended(lib.week_end_ns(q.week))
	due := weekly_due_ns(q.week)
	lib.due_soon(due)
	not sheet_complete_by(q.week, lib.as_of_ns)
	ev := weekly_evidence(q)
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"week": q.week},
		ev,
		sprintf("%s 週之查詢紀錄單（%d 筆查詢）尚待查詢人員核章及授權核定層級人員核可，期限 %s。", [q.week, q.records, ev.due]),
		sprintf("The query record sheet of week %s (%d query records) still needs the query staff's signature and the authorised level's approval by %s.", [q.week, q.records, ev.due]),
	)
}

# Sheets are kept five years (from their production, else from the end of their week).
weekly_01_state contains f if {
	some s in weekly_sheets
	is_string(object.get(s, "deleted_at", null))
	created := sheet_created_ns(s)
	lib.deleted_early(created, lib.ns(s.deleted_at))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"week": s.week, "sheet": s.id},
		{"week": s.week, "created_at": instant(created), "deleted_at": s.deleted_at, "retention_years": lib.param("retention.years")},
		sprintf("%s 週之查詢紀錄單 %s 於 %s 刪除，未滿 %d 年保存期限。", [s.week, s.id, s.deleted_at, lib.param("retention.years")]),
		sprintf("Query record sheet %s of week %s was deleted on %s, before its %d-year retention ended.", [s.id, s.week, s.deleted_at, lib.param("retention.years")]),
	)
}

weekly_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("WEEKLY-01")
}

weekly_01_state contains bad_number_finding(rego.metadata.chain(), "weekly_sheet.due_days") if {
	bad_number_override("weekly_sheet.due_days")
}

sheet_created_ns(s) := lib.ns(s.produced_at) if filled(s, "produced_at")

sheet_created_ns(s) := lib.week_end_ns(s.week) if not filled(s, "produced_at")

# METADATA
# scope: document
# title: Weekly query record sheet (configuration)
# description: The sheet deadline parameter is usable and weekly sheets are kept at least 5 years.
# custom:
#   requirement: WEEKLY-01
#   clause: 六(一)6, 九(三)1
#   severity: medium
#   title_zh: 每週查詢紀錄單
#   modes: [config]
#   automated: true
#   applies: [U]
weekly_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("WEEKLY-01")
}

weekly_01_config contains bad_number_finding(rego.metadata.chain(), "weekly_sheet.due_days") if {
	bad_number_override("weekly_sheet.due_days")
}

weekly_01_config contains short_retention_finding(rego.metadata.chain(), "weekly_sheets", v) if {
	is_user_unit
	v := short_retention("weekly_sheets")
}

# ---------------------------------------------------------------------------------------------
# SELFCHECK-01 — yearly internal self-inspection, report to JCIC

# METADATA
# scope: document
# title: Yearly internal self-inspection
# description: A user unit includes these rules in its internal self-inspection at least once every calendar year and sends a copy of the report to JCIC.
# custom:
#   requirement: SELFCHECK-01
#   clause: 九(三)2(2)
#   severity: medium
#   title_zh: 每年內部自行查核
#   modes: [state]
#   automated: true
#   applies: [U]
selfcheck_01 contains f if {
	is_user_unit
	some p in year_periods(activity_start_ns)
	count(performed_in("self_inspection", p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"year": p.year},
		gap_evidence(p, "self_inspection"),
		sprintf("%d 年度之內部自行查核%s（期限 %s）。", [p.year, status_zh[status], p.to]),
		sprintf("The internal self-inspection of %d %s (due %s).", [p.year, status_en[status], p.to]),
	)
}

# The report of every self-inspection of an ended year has been sent to JCIC.
selfcheck_01 contains f if {
	some a in audits
	a.kind == "self_inspection"
	not filled(a, "report_sent_to_jcic_at")
	y := lib.year_of(lib.ns(a.performed_at))
	lib.ended(lib.year_end_ns(y))
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"year": y, "audit": a.id},
		{"audit": a.id, "performed_at": a.performed_at, "report_sent_to_jcic_at": null},
		sprintf("%d 年度內部自行查核 %s 之報告副本未送聯徵中心。", [y, a.id]),
		sprintf("The report of self-inspection %s (%d) was not sent to JCIC.", [a.id, y]),
	)
}

# ---------------------------------------------------------------------------------------------
# INTAUDIT-01 — half-yearly internal audit, kept 5 years

# Audit records deleted before their retention ended.
deleted_early_audits(kind) := [a |
	some a in audits
	a.kind == kind
	is_string(object.get(a, "deleted_at", null))
	lib.deleted_early(lib.ns(a.performed_at), lib.ns(a.deleted_at))
]

retention_evidence(a) := {"audit": a.id, "audit_kind": a.kind, "performed_at": a.performed_at, "deleted_at": a.deleted_at, "retention_years": lib.param("retention.years")}

# METADATA
# scope: document
# title: Half-yearly internal audit
# description: A user unit includes these rules in its internal audit at least once every calendar half-year; audit records are kept 5 years.
# custom:
#   requirement: INTAUDIT-01
#   clause: 九(三)3
#   severity: high
#   title_zh: 每半年內部稽核
#   modes: [state]
#   automated: true
#   applies: [U]
intaudit_01 contains f if {
	is_user_unit
	some p in half_periods(activity_start_ns)
	count(performed_in("internal", p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"half": p.id},
		gap_evidence(p, "internal"),
		sprintf("%s（%s 至 %s）之內部稽核%s。", [p.id, p.from, p.to, status_zh[status]]),
		sprintf("The internal audit of %s (%s to %s) %s.", [p.id, p.from, p.to, status_en[status]]),
	)
}

intaudit_01 contains f if {
	some a in deleted_early_audits("internal")
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"half": lib.half_of(lib.ns(a.performed_at)), "audit": a.id},
		retention_evidence(a),
		sprintf("內部稽核紀錄 %s 於 %s 刪除，未滿 %d 年保存期限。", [a.id, a.deleted_at, lib.param("retention.years")]),
		sprintf("Internal audit record %s was deleted on %s, before its %d-year retention ended.", [a.id, a.deleted_at, lib.param("retention.years")]),
	)
}

# METADATA
# scope: document
# title: Half-yearly internal audit (configuration)
# description: A user unit keeps its audit records at least 5 years.
# custom:
#   requirement: INTAUDIT-01
#   clause: 九(三)3
#   severity: medium
#   title_zh: 每半年內部稽核
#   modes: [config]
#   automated: true
#   applies: [U]
intaudit_01_config contains short_retention_finding(rego.metadata.chain(), "audits", v) if {
	is_user_unit
	v := short_retention("audits")
}

# ---------------------------------------------------------------------------------------------
# JCICAUDIT-01 — JCIC checks each user unit's consent records yearly

# METADATA
# scope: document
# title: Yearly check of user units' consent records
# description: JCIC checks each user unit's consent records at least once every calendar year (on-site, written, or a designated self-check).
# custom:
#   requirement: JCICAUDIT-01
#   clause: 九(二)3
#   severity: high
#   title_zh: 聯徵中心每年查核授權紀錄
#   modes: [state]
#   automated: true
#   applies: [M]
jcicaudit_01 contains f if {
	is_agency
	some u in user_units
	some p in unit_periods(u, year_periods(unit_start_ns(u)))
	count(performed_on_unit_in("jcic_consent_check", u.id, p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"user_unit": u.id, "year": p.year},
		unit_gap_evidence(u, p, "jcic_consent_check"),
		sprintf("%d 年度對使用單位 %s 之授權紀錄查核%s（期限 %s）。", [p.year, u.id, status_zh[status], p.to]),
		sprintf("The %d check of user unit %s's consent records %s (due %s).", [p.year, u.id, status_en[status], p.to]),
	)
}

# ---------------------------------------------------------------------------------------------
# JCICAUDIT-02 — JCIC's yearly data-security audit, kept 5 years

# METADATA
# scope: document
# title: Yearly data-security audit by JCIC
# description: JCIC runs a data-security audit every calendar year, covering the BLI data operations; audit records are kept 5 years.
# custom:
#   requirement: JCICAUDIT-02
#   clause: 九(二)6
#   severity: high
#   title_zh: 聯徵中心每年資料安全稽核
#   modes: [state]
#   automated: true
#   applies: [M]
jcicaudit_02 contains f if {
	is_agency
	some p in year_periods(activity_start_ns)
	count(performed_in("jcic_security", p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"year": p.year},
		gap_evidence(p, "jcic_security"),
		sprintf("%d 年度之資料安全稽核%s（期限 %s）。", [p.year, status_zh[status], p.to]),
		sprintf("The data-security audit of %d %s (due %s).", [p.year, status_en[status], p.to]),
	)
}

jcicaudit_02 contains f if {
	some a in deleted_early_audits("jcic_security")
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"year": lib.year_of(lib.ns(a.performed_at)), "audit": a.id},
		retention_evidence(a),
		sprintf("資料安全稽核紀錄 %s 於 %s 刪除，未滿 %d 年保存期限。", [a.id, a.deleted_at, lib.param("retention.years")]),
		sprintf("Data-security audit record %s was deleted on %s, before its %d-year retention ended.", [a.id, a.deleted_at, lib.param("retention.years")]),
	)
}

# METADATA
# scope: document
# title: Yearly data-security audit by JCIC (configuration)
# description: JCIC keeps its audit records at least 5 years.
# custom:
#   requirement: JCICAUDIT-02
#   clause: 九(二)6
#   severity: medium
#   title_zh: 聯徵中心每年資料安全稽核
#   modes: [config]
#   automated: true
#   applies: [M]
jcicaudit_02_config contains short_retention_finding(rego.metadata.chain(), "audits", v) if {
	is_agency
	v := short_retention("audits")
}

# ---------------------------------------------------------------------------------------------
# FSCAUDIT-01 — FSC audits JCIC: in writing every half-year, on site every 2 years

# METADATA
# scope: document
# title: FSC audits of JCIC
# description: The FSC audits JCIC in writing at least once every calendar half-year and on site at least once in every block of 2 calendar years.
# custom:
#   requirement: FSCAUDIT-01
#   clause: 九(一)1
#   severity: high
#   title_zh: 監督機關查核管理機構
#   modes: [state]
#   automated: true
#   applies: [S]
fscaudit_01 contains f if {
	is_supervisor
	some p in half_periods(activity_start_ns)
	count(performed_in("fsc_written", p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"check": "written", "half": p.id},
		gap_evidence(p, "fsc_written"),
		sprintf("%s（%s 至 %s）對聯徵中心之書面查核%s。", [p.id, p.from, p.to, status_zh[status]]),
		sprintf("The written audit of JCIC for %s (%s to %s) %s.", [p.id, p.from, p.to, status_en[status]]),
	)
}

fscaudit_01 contains f if {
	is_supervisor
	some p in block_periods(activity_start_ns, 2)
	count(performed_in("fsc_onsite", p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"check": "onsite", "period": p.id},
		gap_evidence(p, "fsc_onsite"),
		sprintf("%s 年（%s 至 %s）對聯徵中心之實地查核%s。", [p.id, p.from, p.to, status_zh[status]]),
		sprintf("The on-site audit of JCIC for %s (%s to %s) %s.", [p.id, p.from, p.to, status_en[status]]),
	)
}

# ---------------------------------------------------------------------------------------------
# FSCAUDIT-02 — FSC examines every user unit at least once every 5 years

# METADATA
# scope: document
# title: FSC examination of every user unit
# description: The FSC examines every user unit at least once in every block of 5 calendar years, counted from the year the unit joined.
# custom:
#   requirement: FSCAUDIT-02
#   clause: 九(一)2
#   severity: medium
#   title_zh: 監督機關每五年查核使用單位
#   modes: [state]
#   automated: true
#   applies: [S]
fscaudit_02 contains f if {
	is_supervisor
	some u in user_units
	some p in unit_periods(u, block_periods(unit_start_ns(u), 5))
	count(performed_on_unit_in("fsc_user_unit_exam", u.id, p)) == 0
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"user_unit": u.id, "period": p.id},
		unit_gap_evidence(u, p, "fsc_user_unit_exam"),
		sprintf("使用單位 %s 於 %s 年（%s 至 %s）之金融檢查%s。", [u.id, p.id, p.from, p.to, status_zh[status]]),
		sprintf("The examination of user unit %s for %s (%s to %s) %s.", [u.id, p.id, p.from, p.to, status_en[status]]),
	)
}

# ---------------------------------------------------------------------------------------------
# CARDAUDIT-01 — chip-card usage reports reconciled (attestation)

# A user unit querying with chip cards: not a batch/server unit, or one that holds chip cards.
uses_chip_cards if not is_batch

uses_chip_cards if count(object.get(input, "chip_cards", [])) > 0

# METADATA
# scope: document
# title: Chip-card usage reconciled
# description: The unit head reconciles JCIC's chip-card usage reports and follows up anomalies and locked cards (attested by a responsible person).
# custom:
#   requirement: CARDAUDIT-01
#   clause: 九(二)1
#   severity: medium
#   title_zh: 晶片卡使用情形核對
#   modes: [state]
#   automated: false
#   applies: [U]
cardaudit_01 contains f if {
	is_user_unit
	uses_chip_cards
	some f in lib.attestation_findings(rego.metadata.chain(), "CARDAUDIT-01")
}

# ---------------------------------------------------------------------------------------------
# USAGE-01 — JCIC reviews each linkage's usage yearly

# A usage review of the unit, or one covering every linkage (no subject).
usage_reviewed(u, p) if count(performed_on_unit_in("usage_review", u.id, p)) > 0

usage_reviewed(_, p) if {
	some a in audits
	a.kind == "usage_review"
	object.get(a, "subject", null) == null
	t := lib.ns(a.performed_at)
	t >= p.start
	t < p.end
	t <= lib.as_of_ns
}

# METADATA
# scope: document
# title: Yearly review of linkage usage
# description: JCIC reviews the usage of each user unit's linkage every calendar year (a review without subject covers every linkage) and asks for termination where there is no longer a need.
# custom:
#   requirement: USAGE-01
#   clause: 四(三)
#   severity: medium
#   title_zh: 每年檢視連結作業使用情形
#   modes: [state]
#   automated: true
#   applies: [M]
usage_01 contains f if {
	is_agency
	some u in user_units
	some p in unit_periods(u, year_periods(unit_start_ns(u)))
	not usage_reviewed(u, p)
	status := gap_status(p)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"user_unit": u.id, "year": p.year},
		unit_gap_evidence(u, p, "usage_review"),
		sprintf("%d 年度對使用單位 %s 連結作業使用情形之檢視%s（期限 %s）。", [p.year, u.id, status_zh[status], p.to]),
		sprintf("The %d review of user unit %s's linkage usage %s (due %s).", [p.year, u.id, status_en[status], p.to]),
	)
}

# ---------------------------------------------------------------------------------------------
# TRAIN-01 — security training of JCIC's responsible staff

trainings := object.get(input, "trainings", [])

training_years := {t.year | some t in trainings}

# METADATA
# scope: document
# title: Security training of JCIC's responsible staff
# description: JCIC's staff responsible for the linkage complete the security training hours their security level requires every calendar year (from the training records; attested when there are none).
# custom:
#   requirement: TRAIN-01
#   clause: 七(二)
#   severity: medium
#   title_zh: 專責人員資安教育訓練
#   modes: [state]
#   automated: true
#   applies: [M]
train_01 contains f if {
	some t in trainings
	t.completed_hours < t.required_hours
	status := gap_status({"end": lib.year_end_ns(t.year)})
	f := lib.finding(
		rego.metadata.chain(), status,
		{"staff": t.staff_id, "year": t.year},
		{"staff": t.staff_id, "year": t.year, "required_hours": t.required_hours, "completed_hours": t.completed_hours, "training": t.id},
		sprintf("%s 於 %d 年完成資安教育訓練 %v 小時，應完成 %v 小時。", [t.staff_id, t.year, t.completed_hours, t.required_hours]),
		sprintf("%s completed %v of the %v required security-training hours in %d.", [t.staff_id, t.completed_hours, t.required_hours, t.year]),
	)
}

# A completed year after the first recorded one without any training record.
train_01 contains f if {
	is_agency
	count(training_years) > 0
	last := lib.year_of(lib.as_of_ns) - 1
	min(training_years) <= last
	some y in numbers.range(min(training_years), last)
	not y in training_years
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"year": y},
		{"year": y, "training_records": 0, "recorded_years": sort(training_years)},
		sprintf("%d 年無專責人員資安教育訓練紀錄。", [y]),
		sprintf("There is no security-training record of the responsible staff for %d.", [y]),
	)
}

# Without training records the fact is attested.
train_01 contains f if {
	is_agency
	count(trainings) == 0
	some f in lib.attestation_findings(rego.metadata.chain(), "TRAIN-01")
}

# ---------------------------------------------------------------------------------------------
# RULES-01 — query control rules issued (attestation)

# METADATA
# scope: document
# title: Query control rules issued
# description: The user unit has issued its "信用資訊查詢作業控管要點" (query control rules), attested by a responsible person.
# custom:
#   requirement: RULES-01
#   clause: 七(一)
#   severity: medium
#   title_zh: 訂定信用資訊查詢作業控管要點
#   modes: [state]
#   automated: false
#   applies: [U]
rules_01 contains f if {
	is_user_unit
	some f in lib.attestation_findings(rego.metadata.chain(), "RULES-01")
}

# ---------------------------------------------------------------------------------------------
# CERT-01 — ISO/IEC 27001 and TPIPAS certificates valid

cert_kinds := ["ISO27001", "TPIPAS"]

certs(kind) := [c | some c in object.get(input, "certifications", []); c.kind == kind]

cert_valid_at(c, t) if {
	lib.ns(c.valid_from) <= t
	t < lib.ns(c.valid_until)
}

# The latest expiry among the certificates of a kind valid at as_of.
cert_until(kind) := max([lib.ns(c.valid_until) | some c in certs(kind); cert_valid_at(c, lib.as_of_ns)])

cert_renewed(kind, t) if {
	some c in certs(kind)
	cert_valid_at(c, t)
}

# METADATA
# scope: document
# title: Information-security certificates valid
# description: JCIC holds valid ISO/IEC 27001 and TPIPAS certificates at all times (renewed yearly), and attests that their scope covers the BLI linkage.
# custom:
#   requirement: CERT-01
#   clause: 十
#   severity: high
#   title_zh: 資安及個資管理制度驗證有效
#   modes: [state]
#   automated: true
#   applies: [M]
cert_01 contains f if {
	is_agency
	some kind in cert_kinds
	count([c | some c in certs(kind); cert_valid_at(c, lib.as_of_ns)]) == 0
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"certificate": kind},
		{"certificate": kind, "as_of": input.as_of, "certificates": count(certs(kind)), "latest_valid_until": latest_cert_until(kind)},
		sprintf("於 %s 時無有效之 %s 證書。", [input.as_of, kind]),
		sprintf("There is no %s certificate valid at %s.", [kind, input.as_of]),
	)
}

cert_01 contains f if {
	is_agency
	some kind in cert_kinds
	until := cert_until(kind)
	not cert_renewed(kind, until)
	lib.due_soon(until)
	d := lib.date_of(until)
	f := lib.finding(
		rego.metadata.chain(), "due_soon",
		{"certificate": kind},
		{"certificate": kind, "valid_until": instant(until)},
		sprintf("%s 證書將於 %s 到期，尚無接續之有效證書。", [kind, d]),
		sprintf("The %s certificate expires on %s and no renewed certificate follows it.", [kind, d]),
	)
}

# The certificates' scope covers the BLI linkage: attested.
cert_01 contains f if {
	is_agency
	some f in lib.attestation_findings(rego.metadata.chain(), "CERT-01")
}

latest_cert_until(kind) := max([c.valid_until | some c in certs(kind)]) if count(certs(kind)) > 0

latest_cert_until(kind) := null if count(certs(kind)) == 0

# ---------------------------------------------------------------------------------------------
# INCIDENT-01 — incidents notified immediately; response recorded

# Who must be notified: a user unit notifies JCIC and BLI (九(三)5); JCIC notifies the FSC and
# BLI (九(二)4, 十二).
incident_parties := {"user_unit": ["jcic", "bli"], "management_agency": ["fsc", "bli"]}

party_names := {"jcic": "聯徵中心", "bli": "勞保局", "fsc": "金管會"}

notice_hours := defined_number("incident.notice_hours")

incident_deadline_ns(i) := lib.ns(i.detected_at) + round(notice_hours * lib.ns_per_hour)

incident_evidence(i, party, at) := {
	"incident": i.id,
	"party": party,
	"detected_at": i.detected_at,
	"notified_at": at,
	"deadline": instant(incident_deadline_ns(i)),
	"notice_hours": notice_hours,
}

# METADATA
# scope: document
# title: Incident notification and response
# description: A data leak or security incident is reported within incident.notice_hours of detection (institution-defined "immediately", default 1 hour) — by a user unit to JCIC and BLI, by JCIC to the FSC and BLI — and the emergency response is recorded.
# custom:
#   requirement: INCIDENT-01
#   clause: 九(二)4, 九(三)5, 十二
#   severity: high
#   title_zh: 資安事故通報
#   modes: [state]
#   automated: true
#   applies: [M, U]
incident_01_state contains lib.institution_defined(f, ["incident.notice_hours"]) if {
	some i in object.get(input, "incidents", [])
	some party in incident_parties[role]
	at := object.get(i, sprintf("notified_%s_at", [party]), null)
	status := notice_status(i, at)
	ev := incident_evidence(i, party, at)
	f := lib.finding(
		rego.metadata.chain(), status,
		{"incident": i.id, "party": party},
		ev,
		sprintf("事故 %s 於 %s 發現，應於 %v 小時內（%s 前）通報%s，%s。", [i.id, i.detected_at, notice_hours, ev.deadline, party_names[party], notice_zh(status, at)]),
		sprintf("Incident %s detected at %s must be reported to %s within %v hour(s) (by %s); %s.", [i.id, i.detected_at, upper(party), notice_hours, ev.deadline, notice_en(status, at)]),
	)
}

# Not notified, and the deadline has passed.
notice_status(i, at) := "violation" if {
	at == null
	lib.ended(incident_deadline_ns(i))
}

# Notified after the deadline.
notice_status(i, at) := "violation" if {
	is_string(at)
	lib.ns(at) > incident_deadline_ns(i)
}

# Not notified yet, and the deadline is still ahead.
notice_status(i, at) := "due_soon" if {
	at == null
	not lib.ended(incident_deadline_ns(i))
}

notice_zh(_, at) := sprintf("實際於 %s 通報", [at]) if is_string(at)

notice_zh("violation", null) := "迄未通報"

notice_zh("due_soon", null) := "尚未通報"

notice_en(_, at) := sprintf("it was reported at %s", [at]) if is_string(at)

notice_en("violation", null) := "it has not been reported"

notice_en("due_soon", null) := "it has not been reported yet"

# The emergency response (investigation, responsibility, containment) is recorded.
incident_01_state contains lib.institution_defined(f, ["incident.notice_hours"]) if {
	some i in object.get(input, "incidents", [])
	object.get(i, "response_recorded", null) != true
	deadline := incident_deadline_ns(i)
	status := gap_status({"end": deadline})
	f := lib.finding(
		rego.metadata.chain(), status,
		{"incident": i.id, "check": "response"},
		{"incident": i.id, "detected_at": i.detected_at, "response_recorded": object.get(i, "response_recorded", null), "deadline": instant(deadline), "notice_hours": notice_hours},
		sprintf("事故 %s 未記錄緊急應變措施（事故調查、責任釐清、避免損害擴大）。", [i.id]),
		sprintf("Incident %s has no recorded emergency response (investigation, responsibility, containment).", [i.id]),
	)
}

incident_01_state contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("INCIDENT-01")
}

incident_01_state contains bad_number_finding(rego.metadata.chain(), "incident.notice_hours") if {
	bad_number_override("incident.notice_hours")
}

# METADATA
# scope: document
# title: Incident notification (configuration)
# description: The institution sets its notice time (incident.notice_hours, its reading of "immediately") and notifies the right parties — a user unit JCIC and BLI, JCIC the FSC and BLI.
# custom:
#   requirement: INCIDENT-01
#   clause: 九(二)4, 九(三)5, 十二
#   severity: high
#   title_zh: 資安事故通報
#   modes: [config]
#   automated: true
#   applies: [M, U]
incident_01_config contains lib.institution_defined(f, ["incident.notice_hours"]) if {
	incident_parties[role]
	v := object.get(input, ["incident", "notice_hours"], null)
	not usable_number(v)
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "incident.notice_hours"},
		{"notice_hours": v, "default": lib.plan_value("incident.notice_hours")},
		sprintf("incident.notice_hours 未設定為大於或等於 0 之時數（目前 %v）：機構須自訂「立即通報」之時限（預設 %v 小時）。", [v, lib.plan_value("incident.notice_hours")]),
		sprintf("incident.notice_hours is not set to a number of hours ≥ 0 (now %v): the institution must define its \"immediately\" (default %v hour).", [v, lib.plan_value("incident.notice_hours")]),
	)
}

incident_01_config contains f if {
	required := incident_parties[role]
	configured := object.get(input, ["incident", "notify"], [])
	missing := [p | some p in required; not p in configured]
	count(missing) > 0
	f := lib.finding(
		rego.metadata.chain(), "violation",
		{"key": "incident.notify"},
		{"role": role, "required": required, "configured": configured, "missing": missing},
		sprintf("incident.notify 缺少應通報對象：%s（%s 應通報 %s）。", [concat(", ", missing), role, concat(", ", required)]),
		sprintf("incident.notify lacks %s (a %s notifies %s).", [concat(", ", missing), role, concat(", ", required)]),
	)
}

incident_01_config contains lib.weaker_override_finding(rego.metadata.chain(), name) if {
	some name in lib.weaker_overrides_for("INCIDENT-01")
}

incident_01_config contains bad_number_finding(rego.metadata.chain(), "incident.notice_hours") if {
	bad_number_override("incident.notice_hours")
}
