# METADATA
# title: State mode entry point
# description: |
#   Findings for the institution's live state as of an instant
#   (engine/schema/state.schema.json), gathered from every area's state_findings.
package bligate.state

# Every finding of every area for the state document in input.
findings contains f if some f in data.bligate.areas[_].state_findings

violations contains f if {
	some f in findings
	f.status == "violation"
}
