# A scenario whose expectation the guest does not meet fails (exit 1) with an
# expected-versus-seen message, and the kernel's own KTAP parser agrees.
. "$TESTS_DIR/lib.sh"
s=$(scenario wrong-node <<'INI'
[scenario]
name = wrong-node
device_timeout = 3s
[device sd0]
type = sd-card
size = 32M
node = mmcblk5
INI
)
run_scenario "$s"
expect_rc 1
expect_output "FAIL"
expect_output "devices.present"
expect_file_has "$OUT/ktap.log" "expected /dev/mmcblk5 (driver mmcblk), saw nothing"
expect_file_has "$OUT/junit.xml" "<failure"
