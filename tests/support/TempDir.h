//
// TempDir.h
//
// A fresh directory under the system's temporary directory, removed with its contents at the end.
//

#ifndef PostHogTest_TempDir_INCLUDED
#define PostHogTest_TempDir_INCLUDED

#include <string>

namespace PostHogTest
{

class TempDir
/// A directory of the test's own: a new unique path under the temporary directory (created
/// now, or left for the code under test to create, e.g. a spool), removed recursively when the
/// TempDir goes, whatever was put in it.
{
public:
	enum Creation
	{
		Create,  /// the directory exists once constructed
		PathOnly /// only the unique path is reserved; nothing exists yet
	};

	explicit TempDir(Creation creation = Create);
	~TempDir();

	TempDir(const TempDir&) = delete;
	TempDir& operator=(const TempDir&) = delete;

	const std::string& path() const noexcept { return _path; }
	std::string file(const std::string& name) const;
	/// path()/name.

private:
	std::string _path;
};

} // namespace PostHogTest

#endif // PostHogTest_TempDir_INCLUDED
