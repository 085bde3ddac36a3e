package affiliate_test

import (
	"os"
	"strings"
	"testing"
)

// The README opens with the program package's Example; this keeps that
// copy word for word in step with the tested original.
func TestReadmeShowsProgramExample(t *testing.T) {
	src, err := os.ReadFile("program/example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, body, ok := strings.Cut(string(src), "func Example() {\n")
	body, _, ok2 := strings.Cut(body, "\t// Output:")
	if !ok || !ok2 {
		t.Fatal("program/example_test.go has no func Example with an // Output: comment")
	}
	code := strings.TrimPrefix(strings.ReplaceAll(body, "\n\t", "\n"), "\t")
	if !strings.Contains(string(readme), "```go\n"+code+"```\n") {
		t.Errorf("README.md does not show program's Example as it is in program/example_test.go; copy its body:\n%s", code)
	}
}
