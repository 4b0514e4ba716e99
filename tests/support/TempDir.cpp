//
// TempDir.cpp
//

#include "TempDir.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/TemporaryFile.h"

namespace PostHogTest
{

TempDir::TempDir(Creation creation) : _path(Poco::TemporaryFile::tempName())
{
	if (creation == Create)
		Poco::File(_path).createDirectories();
}

TempDir::~TempDir()
{
	try
	{
		Poco::File f(_path);
		if (f.exists())
			f.remove(true);
	}
	catch (...)
	{
	}
}

std::string TempDir::file(const std::string& name) const
{
	return Poco::Path(Poco::Path(_path).makeDirectory(), name).toString();
}

} // namespace PostHogTest
