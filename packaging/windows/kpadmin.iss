; Inno Setup 6 script: a per-user installer for the PyInstaller build in dist\kpadmin.
;
;   pyinstaller --noconfirm build.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\kpadmin.iss    ->  dist\installer\kpadmin-0.1.0-setup.exe
;
; No administrator rights: installs to %LOCALAPPDATA%\Programs\kpadmin, a Start-menu shortcut to
; kpadmin.exe, optionally the install folder on the user's PATH (for kpadmin-cli.exe), and an
; uninstaller (Settings > Apps) that removes all of it. The user's data (platformdirs' user data
; and log dirs) is not touched by uninstalling. Built on the windows-latest runner by
; .github/workflows/package.yml; it cannot be compiled on the Linux development machines.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "kpadmin"
#define AppPublisher "kpadmin"
; Relative to this script's folder.
#define BuildDir "..\..\dist\kpadmin"

[Setup]
; The AppId identifies the product across versions: never change it.
AppId={{E5E4D87B-B807-446C-9920-67739A15981B}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename={#AppName}-{#AppVersion}-setup
SetupIconFile=..\icons\kpadmin.ico
UninstallDisplayIcon={app}\kpadmin.exe
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
; A running kpadmin holds its files open: ask to close it rather than fail half-way.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add kpadmin-cli to PATH (headless commands: charge-due, reconcile, ...)"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the bundle whole: files a newer build no longer ships must not linger.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\kpadmin.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\kpadmin.exe"; Tasks: desktopicon

[Registry]
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NotOnPath(ExpandConstant('{app}'))

[Run]
Filename: "{app}\kpadmin.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
function UserPath(): string;
begin
  if not RegQueryStringValue(HKCU, 'Environment', 'Path', Result) then
    Result := '';
end;

function NotOnPath(Dir: string): Boolean;
begin
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(UserPath()) + ';') = 0;
end;

procedure RemoveFromPath(Dir: string);
var
  Path: string;
  P: Integer;
begin
  Path := UserPath();
  P := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Path) + ';');
  if P = 0 then
    exit;
  // P is 1-based in ';' + Path + ';'; in Path that is where Dir starts.
  Delete(Path, P, Length(Dir));
  // Drop the separator left behind (before, or after when Dir came first).
  if (P > 1) and (Copy(Path, P - 1, 1) = ';') then
    Delete(Path, P - 1, 1)
  else if Copy(Path, P, 1) = ';' then
    Delete(Path, P, 1);
  RegWriteExpandStringValue(HKCU, 'Environment', 'Path', Path);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    RemoveFromPath(ExpandConstant('{app}'));
end;
