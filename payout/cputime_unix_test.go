//go:build unix

package payout_test

import (
	"syscall"
	"time"
)

// cpuTime is the process's CPU time (user and system, every thread, the
// GC's included): on a shared machine a steadier figure than wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
