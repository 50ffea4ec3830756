# METADATA
# title: Config mode entry point
# description: |
#   Findings for an institution's query-system configuration document
#   (engine/schema/config.schema.json), gathered from every area's config_findings.
package bligate.config

# Every finding of every area for the configuration in input.
findings contains f if some f in data.bligate.areas[_].config_findings

# Findings that fail a run (violations; due_soon fails only when asked).
violations contains f if {
	some f in findings
	f.status == "violation"
}
