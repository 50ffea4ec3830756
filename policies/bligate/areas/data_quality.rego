# METADATA
# title: Data quality (資料品質)
# description: |
#   Rows the state collector could not turn into the state document (input.invalid_rows: a
#   consent without a date, a query-log row without an instant…). Such a row cannot be checked
#   by its own requirement, so it is a finding of that requirement: the record the plan asks
#   for is not kept in a usable form. One rule per requirement whose records can be broken.
package bligate.areas.data_quality

import data.bligate.lib

# The collection (table) of the state document whose broken rows each requirement reports.
tables := {
	"consents": "CONSENT-02",
	"query_records": "LOG-01",
	"staff": "STAFF-02",
	"accounts": "ACCT-01",
	"authorisation_changes": "STAFF-03",
	"admin_handovers": "ADMIN-01",
	"access_reviews": "REVIEW-01",
	"weekly_sheets": "WEEKLY-01",
	"monthly_samples": "SAMPLE-01",
	"jcic_temp_records": "TEMP-01",
	"deletions": "DEL-03",
	"user_unit_data": "DEL-04",
	"batch_transfers": "BATCH-01",
	"data_access_logs": "BATCH-03",
	"chip_cards": "CARD-01",
	"linkage_staff_changes": "NOTIFY-01",
	"audits": "INTAUDIT-01",
	"user_units": "FSCAUDIT-02",
	"incidents": "INCIDENT-01",
	"certifications": "CERT-01",
	"trainings": "TRAIN-01",
	"attestations": "RULES-01",
}

state_findings contains f if {
	some rule_name, fs in rules
	some f in fs
}

# Findings for the broken rows of a collection, for the requirement rule whose chain is given.
invalid_row_findings(chain, table) := {f |
	some r in object.get(input, "invalid_rows", [])
	r.table == table
	f := lib.finding(
		chain, "violation",
		{"table": r.table, "record": r.id, "pointer": r.pointer},
		{"table": r.table, "record": r.id, "pointer": r.pointer, "problem": r.message},
		sprintf("%s 之紀錄 %s 欄位 %s 不符規定格式（%s），無法檢核。", [r.table, r.id, r.pointer, r.message]),
		sprintf("Record %s of %s is unusable at %s (%s), so it cannot be checked.", [r.id, r.table, r.pointer, r.message]),
	)
}

# Broken rows of a collection that no rule below covers are reported under LOG-01 (records the
# plan asks to keep), so that no invalid row ever goes unreported.
uncovered contains r if {
	some r in object.get(input, "invalid_rows", [])
	not tables[r.table]
}

# METADATA
# scope: document
# title: Consent records are complete
# description: A row of consents that does not fit the state schema is a CONSENT-02 finding.
# custom:
#   requirement: CONSENT-02
#   clause: 四(二)3(4)
#   severity: high
#   title_zh: 同意紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
consent_02_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "consents")

# METADATA
# scope: document
# title: Query-log records are complete
# description: A row of query_records that does not fit the state schema is a LOG-01 finding.
# custom:
#   requirement: LOG-01
#   clause: 六(一)5
#   severity: high
#   title_zh: 查詢紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
log_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "query_records")

# METADATA
# scope: document
# title: Query staff register entries are complete
# description: A row of staff that does not fit the state schema is a STAFF-02 finding.
# custom:
#   requirement: STAFF-02
#   clause: 五(一)2
#   severity: medium
#   title_zh: 查詢人員名冊完整
#   modes: [state]
#   automated: true
#   applies: [U]
staff_02_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "staff")

# METADATA
# scope: document
# title: Account records are complete
# description: A row of accounts that does not fit the state schema is a ACCT-01 finding.
# custom:
#   requirement: ACCT-01
#   clause: 五(一)6
#   severity: medium
#   title_zh: 帳號紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
acct_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "accounts")

# METADATA
# scope: document
# title: Authorisation change records are complete
# description: A row of authorisation_changes that does not fit the state schema is a STAFF-03 finding.
# custom:
#   requirement: STAFF-03
#   clause: 五(一)1
#   severity: medium
#   title_zh: 授權異動紀錄完整
#   modes: [state]
#   automated: true
#   applies: [B]
staff_03_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "authorisation_changes")

# METADATA
# scope: document
# title: Administrator handover records are complete
# description: A row of admin_handovers that does not fit the state schema is a ADMIN-01 finding.
# custom:
#   requirement: ADMIN-01
#   clause: 五(一)10
#   severity: medium
#   title_zh: 管理者交接紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
admin_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "admin_handovers")

# METADATA
# scope: document
# title: Access review records are complete
# description: A row of access_reviews that does not fit the state schema is a REVIEW-01 finding.
# custom:
#   requirement: REVIEW-01
#   clause: 五(二)
#   severity: medium
#   title_zh: 帳號權限檢視紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
review_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "access_reviews")

# METADATA
# scope: document
# title: Weekly query record sheets are complete
# description: A row of weekly_sheets that does not fit the state schema is a WEEKLY-01 finding.
# custom:
#   requirement: WEEKLY-01
#   clause: 六(一)6, 九(三)1
#   severity: medium
#   title_zh: 每週查詢紀錄單完整
#   modes: [state]
#   automated: true
#   applies: [U]
weekly_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "weekly_sheets")

# METADATA
# scope: document
# title: Monthly sample records are complete
# description: A row of monthly_samples that does not fit the state schema is a SAMPLE-01 finding.
# custom:
#   requirement: SAMPLE-01
#   clause: 九(三)2(1)
#   severity: medium
#   title_zh: 每月抽查紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
sample_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "monthly_samples")

# METADATA
# scope: document
# title: Temporary storage records are complete
# description: A row of jcic_temp_records that does not fit the state schema is a TEMP-01 finding.
# custom:
#   requirement: TEMP-01
#   clause: 四(二)2, 八(三)
#   severity: high
#   title_zh: 暫存紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M]
temp_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "jcic_temp_records")

# METADATA
# scope: document
# title: Deletion evidence records are complete
# description: A row of deletions that does not fit the state schema is a DEL-03 finding.
# custom:
#   requirement: DEL-03
#   clause: 八(二)3
#   severity: medium
#   title_zh: 刪除佐證紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M]
del_03_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "deletions")

# METADATA
# scope: document
# title: Records of obtained data are complete
# description: A row of user_unit_data that does not fit the state schema is a DEL-04 finding.
# custom:
#   requirement: DEL-04
#   clause: 八(四)
#   severity: medium
#   title_zh: 取得資料紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
del_04_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "user_unit_data")

# METADATA
# scope: document
# title: Batch transfer records are complete
# description: A row of batch_transfers that does not fit the state schema is a BATCH-01 finding.
# custom:
#   requirement: BATCH-01
#   clause: 六(二)1
#   severity: medium
#   title_zh: 批次傳輸紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M]
batch_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "batch_transfers")

# METADATA
# scope: document
# title: Data access log records are complete
# description: A row of data_access_logs that does not fit the state schema is a BATCH-03 finding.
# custom:
#   requirement: BATCH-03
#   clause: 六(二)3, 四(二)5
#   severity: medium
#   title_zh: 資料存取紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M, B]
batch_03_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "data_access_logs")

# METADATA
# scope: document
# title: Chip card records are complete
# description: A row of chip_cards that does not fit the state schema is a CARD-01 finding.
# custom:
#   requirement: CARD-01
#   clause: 五(一)8
#   severity: medium
#   title_zh: 晶片卡紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
card_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "chip_cards")

# METADATA
# scope: document
# title: Linkage staff change records are complete
# description: A row of linkage_staff_changes that does not fit the state schema is a NOTIFY-01 finding.
# custom:
#   requirement: NOTIFY-01
#   clause: 五(三)
#   severity: medium
#   title_zh: 介接人員異動紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M]
notify_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "linkage_staff_changes")

# METADATA
# scope: document
# title: Audit records are complete
# description: A row of audits that does not fit the state schema is a INTAUDIT-01 finding.
# custom:
#   requirement: INTAUDIT-01
#   clause: 九(三)3
#   severity: medium
#   title_zh: 稽核紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
intaudit_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "audits")

# METADATA
# scope: document
# title: User unit records are complete
# description: A row of user_units that does not fit the state schema is a FSCAUDIT-02 finding.
# custom:
#   requirement: FSCAUDIT-02
#   clause: 九(一)2
#   severity: low
#   title_zh: 使用單位紀錄完整
#   modes: [state]
#   automated: true
#   applies: [S]
fscaudit_02_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "user_units")

# METADATA
# scope: document
# title: Incident records are complete
# description: A row of incidents that does not fit the state schema is a INCIDENT-01 finding.
# custom:
#   requirement: INCIDENT-01
#   clause: 九(二)4, 九(三)5, 十二
#   severity: high
#   title_zh: 事件紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M, U]
incident_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "incidents")

# METADATA
# scope: document
# title: Certificate records are complete
# description: A row of certifications that does not fit the state schema is a CERT-01 finding.
# custom:
#   requirement: CERT-01
#   clause: 十
#   severity: medium
#   title_zh: 證書紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M]
cert_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "certifications")

# METADATA
# scope: document
# title: Training records are complete
# description: A row of trainings that does not fit the state schema is a TRAIN-01 finding.
# custom:
#   requirement: TRAIN-01
#   clause: 七(二)
#   severity: low
#   title_zh: 訓練紀錄完整
#   modes: [state]
#   automated: true
#   applies: [M]
train_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "trainings")

# METADATA
# scope: document
# title: Attestation records are complete
# description: A row of attestations that does not fit the state schema is a RULES-01 finding.
# custom:
#   requirement: RULES-01
#   clause: 七(一)
#   severity: low
#   title_zh: 聲明紀錄完整
#   modes: [state]
#   automated: true
#   applies: [U]
rules_01_invalid_rows contains f if some f in invalid_row_findings(rego.metadata.chain(), "attestations")

log_01_invalid_rows contains f if {
	some r in uncovered
	some f in invalid_row_findings(rego.metadata.chain(), r.table)
}

# Every rule above, by name (state_findings gathers them).
rules := {
	"consent_02_invalid_rows": consent_02_invalid_rows,
	"log_01_invalid_rows": log_01_invalid_rows,
	"staff_02_invalid_rows": staff_02_invalid_rows,
	"acct_01_invalid_rows": acct_01_invalid_rows,
	"staff_03_invalid_rows": staff_03_invalid_rows,
	"admin_01_invalid_rows": admin_01_invalid_rows,
	"review_01_invalid_rows": review_01_invalid_rows,
	"weekly_01_invalid_rows": weekly_01_invalid_rows,
	"sample_01_invalid_rows": sample_01_invalid_rows,
	"temp_01_invalid_rows": temp_01_invalid_rows,
	"del_03_invalid_rows": del_03_invalid_rows,
	"del_04_invalid_rows": del_04_invalid_rows,
	"batch_01_invalid_rows": batch_01_invalid_rows,
	"batch_03_invalid_rows": batch_03_invalid_rows,
	"card_01_invalid_rows": card_01_invalid_rows,
	"notify_01_invalid_rows": notify_01_invalid_rows,
	"intaudit_01_invalid_rows": intaudit_01_invalid_rows,
	"fscaudit_02_invalid_rows": fscaudit_02_invalid_rows,
	"incident_01_invalid_rows": incident_01_invalid_rows,
	"cert_01_invalid_rows": cert_01_invalid_rows,
	"train_01_invalid_rows": train_01_invalid_rows,
	"rules_01_invalid_rows": rules_01_invalid_rows,
}
